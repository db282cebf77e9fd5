package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The scenarios of {@code trailhound bench faults} and what each must show besides "no alert lost or duplicated, no action
 * duplicated".
 */
final class FaultBenchScenarios {

    static final String CLEAN = "clean";
    static final String MALFORMED = "malformed-mix";
    static final String LATE = "late-out-of-order";
    static final String SCAN_BOMB = "scan-bomb";
    static final String CONNECTOR_BOMB = "connector-bomb";
    static final String BROKER_RESTART = "broker-restart";
    static final String PROCESSOR_KILL = "processor-kill";
    static final String REGISTRY_DOWN = "registry-down";
    static final String AWS_THROTTLING = "aws-throttling";
    static final String RESPONDER_KILL = "responder-kill";
    static final String RESPONDER_BROKER = "responder-broker-outage";
    /** Least throughput of the junk mix relative to the clean run. */
    static final double MIN_THROUGHPUT_RATIO = 0.8;

    private final FaultBenchRegistry registry;
    private final int events;
    private final PrintWriter err;
    private final FaultBenchDetect detect;
    private final FaultBenchRespond respond;
    private FaultBenchInput input;
    private double cleanRate = Double.NaN;

    /**
     * @param staticMembership whether the stream processor and the responder join as static group members (#17), as the
     *                         Kubernetes configuration has them
     */
    FaultBenchScenarios(FaultBenchRegistry registry, int events, int alerts, Duration brokerOutage, boolean staticMembership,
                        PrintWriter err) {
        this.registry = registry;
        this.events = events;
        this.err = err;
        this.detect = new FaultBenchDetect(registry, brokerOutage, staticMembership, err);
        this.respond = new FaultBenchRespond(registry, alerts, staticMembership, err);
    }

    FaultBenchRow run(String name) throws Exception {
        return switch (name) {
            case CLEAN -> clean();
            case MALFORMED -> malformed();
            case LATE -> late();
            case SCAN_BOMB -> scanBomb();
            case CONNECTOR_BOMB -> connectorBomb();
            case BROKER_RESTART -> faulted(name, FaultBenchDetect.Fault.BROKER_RESTART);
            case PROCESSOR_KILL -> faulted(name, FaultBenchDetect.Fault.PROCESSOR_KILL);
            case REGISTRY_DOWN -> registryDown();
            case AWS_THROTTLING -> respond.run(name, FaultBenchRespond.Fault.THROTTLING);
            case RESPONDER_KILL -> respond.run(name, FaultBenchRespond.Fault.RESPONDER_KILL);
            case RESPONDER_BROKER -> respond.run(name, FaultBenchRespond.Fault.BROKER_OUTAGE);
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }

    private FaultBenchInput input() {
        if (input == null) {
            err.printf("bench faults: generating %d CloudTrail records and scanning them offline for the expected alerts%n", events);
            err.flush();
            input = new FaultBenchInput(events, 42);
            err.printf("bench faults: the input must raise %d alert records (%d alerts)%n", input.expectedAlerts().size(),
                input.expectedFinal().size());
            err.flush();
        }
        return input;
    }

    private FaultBenchRow clean() throws Exception {
        FaultBenchDetect.Run run = detect.run(CLEAN, input().ordered(), FaultBenchDetect.Fault.NONE);
        try (FaultBenchOutput out = run.output()) {
            cleanRate = out.recordsPerSecond();
            boolean held = out.events() == run.valid() && out.deadLetters() == 0 && sameAlerts(out);
            return row(CLEAN, run, held, String.format(Locale.ROOT, "%d/%d events, 0 dead letters, same final alerts: %s; %.0f records/s",
                out.events(), run.valid(), sameAlerts(out), cleanRate));
        }
    }

    private FaultBenchRow malformed() throws Exception {
        FaultBenchDetect.Run run = detect.run(MALFORMED, input().withJunk(), FaultBenchDetect.Fault.NONE);
        try (FaultBenchOutput out = run.output()) {
            double ratio = out.recordsPerSecond() / cleanRate;
            boolean allDead = out.deadLetters() == run.junk() && out.deadLettersWithoutReason() == 0;
            boolean held = allDead && out.events() == run.valid() && ratio >= MIN_THROUGHPUT_RATIO;
            return row(MALFORMED, run, held, String.format(Locale.ROOT, "%d/%d junk dead-lettered, %d without reason; %.0f records/s = "
                + "%.2f of clean (>= %.2f); reason e.g. \"%s\"", out.deadLetters(), run.junk(), out.deadLettersWithoutReason(),
                out.recordsPerSecond(), ratio, MIN_THROUGHPUT_RATIO, abbreviate(out.sampleReason())));
        }
    }

    private FaultBenchRow late() throws Exception {
        FaultBenchDetect.Run run = detect.run(LATE, input().late(7), FaultBenchDetect.Fault.NONE);
        try (FaultBenchOutput out = run.output()) {
            // the alert id names a group's first event, which lateness may change: the same alerts are the same rule, principal
            // and entity with the same occurrences
            FaultBenchRow.Counts alerts = FaultBenchRow.Counts.of(input().expectedDedupKeys(), out.dedupKeys());
            boolean same = alerts.lost() == 0 && alerts.duplicated() == 0;
            return new FaultBenchRow(LATE, run.eventsIn(), out.events(), alerts, FaultBenchRow.Counts.NONE, out.deadLetters(), -1,
                same && out.events() == run.valid(), String.format(Locale.ROOT, "records up to %d min late, out of order: same "
                    + "alerts (rule, principal, entity, occurrences) as in order: %s; alert ids equal: %s",
                    FaultBenchInput.MAX_LATENESS.toMinutes(), same, sameAlerts(out)));
        }
    }

    private FaultBenchRow faulted(String name, FaultBenchDetect.Fault fault) throws Exception {
        FaultBenchDetect.Run run = detect.run(name, input().ordered(), fault);
        try (FaultBenchOutput out = run.output()) {
            boolean held = out.events() == run.valid() && run.recoverMillis() >= 0;
            return row(name, run, held, String.format(Locale.ROOT, "%d/%d events once each (read committed), output again %s ms after "
                + "the fault ended", out.events(), run.valid(), run.recoverMillis()));
        }
    }

    /**
     * The processor has its schemas cached once it runs: it must go on while the registry is away (events appended during the
     * outage) and lose or repeat nothing; "output again" is only measured when work was left once the registry came back.
     */
    private FaultBenchRow registryDown() throws Exception {
        FaultBenchDetect.Run run = detect.run(REGISTRY_DOWN, input().ordered(), FaultBenchDetect.Fault.REGISTRY_DOWN);
        try (FaultBenchOutput out = run.output()) {
            long during = out.eventsBetween(run.faultStart(), run.faultEnd());
            long after = out.events() - out.eventsBetween(0, run.faultEnd());
            boolean held = out.events() == run.valid() && run.faultStart() > 0 && (during > 0 || after > 0);
            return row(REGISTRY_DOWN, run, held, String.format(Locale.ROOT, "registry down %d s: %d/%d events once each, %d appended "
                + "during the outage, %d after it", FaultBenchDetect.REGISTRY_OUTAGE.toSeconds(), out.events(), run.valid(), during,
                after));
        }
    }

    private FaultBenchRow scanBomb() throws Exception {
        err.println("bench faults: scan-bomb: writing a gzip that inflates to 1 GiB and scanning it with trailhound scan "
            + FaultBenchScan.HEAP_CAP);
        err.flush();
        FaultBenchScan.Outcome scan = FaultBenchScan.scan();
        boolean bounded = scan.peakRss() > 0 && scan.peakRss() < FaultBenchScan.MEMORY_BOUND;
        boolean held = scan.refusedWithReason() && bounded && scan.alertLines() == 1;
        String reason = scan.stderr().lines().filter(l -> l.contains("refused")).findFirst().orElse("no refusal printed");
        return new FaultBenchRow(SCAN_BOMB, 2, 1, new FaultBenchRow.Counts(1, scan.alertLines(), Math.max(0, 1 - scan.alertLines()), 0),
            FaultBenchRow.Counts.NONE, 0, -1, held, String.format(Locale.ROOT, "%d B gzip -> 1 GiB: exit %d, peak RSS %d MiB (< %d MiB), "
                + "other file read (%d alert), %d ms; %s", scan.bombBytes(), scan.exitCode(), scan.peakRss() >> 20,
                FaultBenchScan.MEMORY_BOUND >> 20, scan.alertLines(), scan.millis(), abbreviate(reason)));
    }

    /**
     * The bomb against the connector's decoder (the S3 source task's code path before records are split) in its own JVM: refused
     * with the reason the task dead-letters the object with, within bounded memory. Not Connect with an S3 endpoint: see README.
     */
    private FaultBenchRow connectorBomb() throws Exception {
        err.println("bench faults: connector-bomb: the S3 source task's decoder on the same bomb, " + FaultBenchScan.HEAP_CAP);
        err.flush();
        FaultBenchScan.Outcome run = FaultBenchScan.connector();
        boolean bounded = run.peakRss() > 0 && run.peakRss() < FaultBenchScan.MEMORY_BOUND;
        String reason = run.stderr().lines().filter(l -> l.contains("refused")).findFirst().orElse("no refusal printed");
        return new FaultBenchRow(CONNECTOR_BOMB, 1, 0, FaultBenchRow.Counts.NONE, FaultBenchRow.Counts.NONE, 0, -1,
            run.refusedWithReason() && bounded, String.format(Locale.ROOT, "%d B gzip -> 1 GiB: exit %d, peak RSS %d MiB (< %d MiB), "
                + "%d ms; %s", run.bombBytes(), run.exitCode(), run.peakRss() >> 20, FaultBenchScan.MEMORY_BOUND >> 20, run.millis(),
                abbreviate(reason)));
    }

    private boolean sameAlerts(FaultBenchOutput out) {
        return out.finalCounts().equals(input().expectedFinal());
    }

    private FaultBenchRow row(String name, FaultBenchDetect.Run run, boolean held, String condition) {
        FaultBenchOutput out = run.output();
        return new FaultBenchRow(name, run.eventsIn(), out.events(), FaultBenchRow.Counts.of(input().expectedAlerts(), out.alertKeys()),
            FaultBenchRow.Counts.NONE, out.deadLetters(), run.recoverMillis(), held, condition);
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }
}
