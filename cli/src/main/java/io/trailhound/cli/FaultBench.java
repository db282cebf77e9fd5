package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound bench faults}: each scenario runs the real components (in-JVM KRaft broker, schema registry process, the
 * stream processor and the responder as their own JVMs, AWS protocol stubs) over a known input, injects one fault, and counts
 * what came out: alerts lost or duplicated (read committed, against the alerts the offline scan of the same input raises),
 * AWS mutating requests duplicated at the stub, dead letters, time to recover. One row per scenario, then the summary line.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
    description = {"Fault scenarios on the real stack with a known input: alerts/actions lost or duplicated, dead letters, recovery.",
        "Last line: faults: scenarios=<n> held=<n> alerts_lost=<n> alerts_duplicated=<n> actions_duplicated=<n>"})
final class FaultBench implements Callable<Integer> {

    /** Every scenario, in the order a default run runs them. */
    static final List<String> SCENARIOS = List.of(FaultBenchScenarios.CLEAN, FaultBenchScenarios.MALFORMED, FaultBenchScenarios.LATE,
        FaultBenchScenarios.SCAN_BOMB, FaultBenchScenarios.CONNECTOR_BOMB, FaultBenchScenarios.BROKER_RESTART,
        FaultBenchScenarios.PROCESSOR_KILL,
        FaultBenchScenarios.REGISTRY_DOWN,
        FaultBenchScenarios.AWS_THROTTLING, FaultBenchScenarios.RESPONDER_KILL, FaultBenchScenarios.RESPONDER_BROKER);

    @Spec
    private CommandSpec spec;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME",
        description = "Run only these scenarios (comma-separated; default: all): ${COMPLETION-CANDIDATES}",
        completionCandidates = Names.class)
    private List<String> scenarios = new ArrayList<>();

    @Option(names = "--events", defaultValue = "5000",
        description = "Valid CloudTrail records in each detection scenario's input, 1%% raising alerts (default: ${DEFAULT-VALUE}).")
    private int events;

    @Option(names = "--alerts", defaultValue = "10",
        description = "Alerts (one IAM user each) in each responder scenario (default: ${DEFAULT-VALUE}).")
    private int alerts;

    @Option(names = "--broker-outage-seconds", defaultValue = "15",
        description = "How long the broker stays down in broker-restart (default: ${DEFAULT-VALUE}).")
    private int brokerOutageSeconds;

    @Option(names = "--dynamic-membership",
        description = "The stream processor and the responder join their groups as dynamic members (no group.instance.id), as "
            + "before #17: a restarted process then waits for the killed one's session to time out (to compare recovery).")
    private boolean dynamicMembership;

    @Option(names = "--soak", paramLabel = "MINUTES", defaultValue = "0",
        description = "Instead of the scenarios: 2,000 events/s for MINUTES through the live processor, printing heap, state size "
            + "and p99 every minute (default: no soak).")
    private int soakMinutes;

    @Option(names = "--soak-setting", paramLabel = "KEY=VALUE",
        description = "A stream-processor setting for the soak's processor (repeatable), e.g. trailhound.rocksdb.memory.bytes=67108864.")
    private Map<String, String> soakSettings = new HashMap<>();

    @Option(names = "--soak-env", paramLabel = "NAME=VALUE",
        description = "An environment variable for the soak's processor process (repeatable), e.g. MALLOC_ARENA_MAX=2, as a "
            + "container's env would set it.")
    private Map<String, String> soakEnv = new HashMap<>();

    /** The scenario names, for the option's help. */
    static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Names() {
            super(SCENARIOS);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<String> chosen = chosen();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench faults: starting a schema registry");
        err.flush();
        try (FaultBenchRegistry registry = new FaultBenchRegistry()) {
            if (soakMinutes > 0) {
                return new FaultBenchSoak(registry, err, out, soakSettings, soakEnv).run(Duration.ofMinutes(soakMinutes));
            }
            FaultBenchScenarios runner = new FaultBenchScenarios(registry, events, alerts, Duration.ofSeconds(brokerOutageSeconds),
                !dynamicMembership, err);
            Map<String, FaultBenchRow> rows = new LinkedHashMap<>();
            for (String name : chosen) {
                long started = System.nanoTime();
                FaultBenchRow row = runner.run(name);
                rows.put(name, row);
                err.printf(Locale.ROOT, "bench faults: %s done in %.0f s: %s%n", name, (System.nanoTime() - started) / 1e9,
                    row.held() ? "held" : "NOT held");
                err.flush();
            }
            out.println();
            FaultBenchRow.header(out);
            rows.values().forEach(row -> row.print(out));
            out.println(FaultBenchRow.summary(List.copyOf(rows.values())));
            out.flush();
            return rows.values().stream().allMatch(FaultBenchRow::held) ? 0 : 1;
        }
    }

    private List<String> chosen() {
        if (events < 1000 || alerts < 2 || brokerOutageSeconds < 1 || soakMinutes < 0) {
            throw new ParameterException(spec.commandLine(), "need --events >= 1000, --alerts >= 2, --broker-outage-seconds >= 1 "
                + "and --soak >= 0");
        }
        List<String> chosen = scenarios.isEmpty() ? SCENARIOS : scenarios.stream().map(String::trim).toList();
        for (String name : chosen) {
            if (!SCENARIOS.contains(name)) {
                throw new ParameterException(spec.commandLine(), "unknown scenario '" + name + "'; known: " + String.join(", ", SCENARIOS));
            }
        }
        // the throughput condition of the junk mix needs the clean run's rate, measured in the same run
        if (chosen.contains(FaultBenchScenarios.MALFORMED) && !chosen.contains(FaultBenchScenarios.CLEAN)) {
            List<String> withClean = new ArrayList<>(List.of(FaultBenchScenarios.CLEAN));
            withClean.addAll(chosen);
            return withClean;
        }
        return SCENARIOS.stream().filter(chosen::contains).toList();
    }
}
