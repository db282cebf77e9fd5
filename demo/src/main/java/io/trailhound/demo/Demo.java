package io.trailhound.demo;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.demo.sample.SampleData;
import io.trailhound.demo.sample.SampleEvent;
import io.trailhound.demo.sample.SampleOrganization;
import io.trailhound.demo.sample.TrailFiles;

/**
 * The one-command demo: writes the bundled sample (two weeks of an organization's CloudTrail history) as a local trail
 * bucket, starts the whole pipeline on loopback, lets it ingest and learn the history, then delivers the intrusion's log files
 * and GuardDuty findings, prints alerts as they arrive and finally the incident: chain of identities, timeline, and the
 * responder's containment plan. Everything started is stopped and every temporary directory removed, unless following.
 */
public final class Demo {

    private static final long FILE_SECONDS = TrailFiles.FIVE_MINUTES.toSeconds();

    private final DemoOptions options;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final AtomicInteger quietAlerts = new AtomicInteger();

    private Demo(DemoOptions options) {
        this.options = options;
        this.out = options.out();
    }

    /** Runs the demo; with {@code follow}, returns only when interrupted. */
    public static DemoResult run(DemoOptions options) throws Exception {
        return new Demo(options).run();
    }

    private DemoResult run() throws Exception {
        Instant anchor = Instant.now();
        SampleData sample = SampleData.generate(options.seed(), anchor);
        Path trail = Files.createTempDirectory("trailhound-demo-trail-");
        List<Path> tempDirs = List.of(trail);
        int historyFiles = TrailFiles.write(trail, sample.history(), TrailFiles.DAILY).size();
        out.println("trailhound demo: the whole pipeline on loopback, fed a bundled sample organization (offline, dry run)");
        step("sample 'Acme Analytics' (" + SampleOrganization.ACCOUNTS.size() + " accounts, " + SampleData.HISTORY_DAYS
            + " days): " + sample.history().size() + " CloudTrail records in " + historyFiles + " log files under " + trail.toUri());
        DemoStack stack = new DemoStack(this::step);
        // Ctrl-C (always possible, the only way out of --follow) stops the pipeline too
        Thread hook = new Thread(() -> stop(stack, tempDirs), "trailhound-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stack.start(trail, "4ab8c2e0f7d94d1e9b3c5a6f7e8d9c0b");
            List<Integer> ports = ports(stack);
            Optional<Long> pid = stack.registryPid();
            try (PipelineWatch watch = new PipelineWatch(stack.bootstrapServers(), stack.topics(), stack.admin(), this::onAlert)) {
                watch.start();
                awaitReady(stack);
                ingestHistory(stack, watch, sample);
                int total = deliverIntrusion(stack, watch, trail, sample);
                awaitIntrusion(stack, watch, total, sample.findings().size());
                Optional<IncidentSummary> summary = IncidentSummary.of(watch.alerts(), watch.incidents(), watch.actions());
                summary.ifPresentOrElse(s -> out.print(SummaryText.render(s)), () -> out.println("no alert was raised"));
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                out.printf("%nDone in %d s. ", elapsed.toSeconds());
                if (options.follow()) {
                    follow(stack);
                }
                return new DemoResult(summary, watch.alerts(), watch.actions(), sample.leakedUserArn(), sample.history().size(), total,
                    ports, pid, tempDirs, elapsed);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop(stack, tempDirs);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the pipeline already
            }
        }
    }

    private synchronized void stop(DemoStack stack, List<Path> tempDirs) {
        out.println("Stopping the pipeline...");
        stack.close();
        tempDirs.forEach(TempDirs::delete);
        out.println("Stopped: ports released, child process ended, temporary files removed.");
    }

    private void follow(DemoStack stack) throws InterruptedException {
        out.println("Following (--follow): new alerts print as they arrive; Ctrl-C stops the pipeline.");
        // the demo's ports are free ones picked at start, so other commands need to be told where it runs
        out.printf("In another terminal: export TRAILHOUND_BOOTSTRAP_SERVER=%s TRAILHOUND_SCHEMA_REGISTRY=%s%n"
            + "  then e.g. ./trailhound tail --from-beginning, ./trailhound approvals, ./trailhound report INCIDENT_ID%n",
            stack.bootstrapServers(), stack.registry().url());
        new CountDownLatch(1).await();
    }

    private static List<Integer> ports(DemoStack stack) {
        List<Integer> ports = new ArrayList<>();
        for (String address : stack.bootstrapServers().split(",")) {
            ports.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        }
        ports.add(stack.registry().port());
        ports.add(URI.create(stack.connectUrl()).getPort());
        ports.add(stack.guardDuty().port());
        return ports;
    }

    private void awaitReady(DemoStack stack) throws InterruptedException {
        waitFor("the stream processor RUNNING and the responder assigned", stack::ready, () -> "");
        step("pipeline ready: stream processor RUNNING, responder consuming " + stack.topics().alerts().name());
    }

    private void ingestHistory(DemoStack stack, PipelineWatch watch, SampleData sample) throws InterruptedException {
        stack.guardDuty().publish(sample.findings().subList(0, 1));
        int expected = sample.history().size();
        waitFor("the history ingested and processed", () -> caughtUp(stack, watch, expected, 1),
            () -> progressLine(stack, watch, expected));
        long loud = watch.alerts().stream().filter(SummaryText::loud).count();
        step("history ingested and processed: " + expected + " CloudTrail records, 1 GuardDuty finding; baselines learned; "
            + watch.alerts().size() + " alerts so far, " + (loud == 0 ? "none" : String.valueOf(loud)) + " above LOW");
    }

    /**
     * Delivers the intrusion as CloudTrail and GuardDuty would, one five-minute log file after the other (back to back
     * here), each finding once its time has come; waits for each delivery to be processed.
     */
    private int deliverIntrusion(DemoStack stack, PipelineWatch watch, Path trail, SampleData sample)
            throws java.io.IOException, InterruptedException {
        Map<Long, List<SampleEvent>> files = new TreeMap<>();
        sample.intrusion().forEach(e -> files.computeIfAbsent(e.time().getEpochSecond() / FILE_SECONDS, k -> new ArrayList<>()).add(e));
        step("now the intrusion: CloudTrail delivers " + files.size() + " five-minute log files (" + sample.intrusion().size()
            + " records, delivered back to back), GuardDuty reports " + (sample.findings().size() - 1) + " new findings");
        int delivered = sample.history().size();
        int published = 1;
        for (Map.Entry<Long, List<SampleEvent>> file : files.entrySet()) {
            TrailFiles.write(trail, file.getValue(), TrailFiles.FIVE_MINUTES);
            delivered += file.getValue().size();
            Instant fileEnd = Instant.ofEpochSecond((file.getKey() + 1) * FILE_SECONDS);
            published += publishFindingsBefore(stack, sample, published, fileEnd);
            int cloudTrail = delivered;
            int findings = published;
            waitFor("the intrusion's log file processed", () -> caughtUp(stack, watch, cloudTrail, findings),
                () -> progressLine(stack, watch, cloudTrail));
        }
        publishFindingsBefore(stack, sample, published, Instant.MAX);
        return delivered;
    }

    private static int publishFindingsBefore(DemoStack stack, SampleData sample, int published, Instant before) {
        List<ObjectNode> due = sample.findings().subList(published, sample.findings().size()).stream()
            .filter(f -> Instant.parse(f.path("updatedAt").asText()).isBefore(before)).toList();
        stack.guardDuty().publish(due);
        return due.size();
    }

    private void awaitIntrusion(DemoStack stack, PipelineWatch watch, int total, int findings) throws InterruptedException {
        waitFor("the intrusion processed and answered", () -> caughtUp(stack, watch, total, findings)
            && uncheckedConsumedAll(watch) && watch.sinceLastChange().compareTo(options.quiet()) >= 0,
            () -> progressLine(stack, watch, total));
        step("intrusion processed: " + watch.alerts().size() + " alerts in all (" + quietAlerts.get() + " LOW/INFO not shown), "
            + watch.actions().size() + " response steps audited on " + stack.topics().actions().name());
    }

    private static boolean uncheckedConsumedAll(PipelineWatch watch) {
        try {
            return watch.consumedAllAlerts(DemoStack.RESPONDER_GROUP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean caughtUp(DemoStack stack, PipelineWatch watch, int cloudTrail, int findings) {
        try {
            watch.check();
            stack.checkDetection();
            long raw = watch.records(stack.topics().cloudTrailRaw());
            long gd = watch.records(stack.topics().guardDutyRaw());
            return raw >= cloudTrail && gd >= findings
                && watch.committed(DemoStack.DETECT_APP_ID, stack.topics().cloudTrailRaw()) >= raw
                && watch.committed(DemoStack.DETECT_APP_ID, stack.topics().guardDutyRaw()) >= gd
                && watch.repartitionsConsumed(DemoStack.DETECT_APP_ID);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String progressLine(DemoStack stack, PipelineWatch watch, int expected) {
        try {
            long raw = watch.records(stack.topics().cloudTrailRaw());
            long done = watch.committed(DemoStack.DETECT_APP_ID, stack.topics().cloudTrailRaw());
            return "ingesting: " + raw + " / " + expected + " CloudTrail records on " + stack.topics().cloudTrailRaw().name() + ", "
                + done + " processed, " + watch.alerts().size() + " alerts, " + watch.actions().size() + " response steps";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private interface Progress {
        String line();
    }

    private void waitFor(String what, BooleanSupplier done, Progress progress) throws InterruptedException {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what + " after " + options.timeout().toSeconds() + " s; "
                    + progress.line());
            }
            if (System.nanoTime() > nextReport) {
                String line = progress.line();
                if (!line.isEmpty()) {
                    step(line);
                }
                nextReport = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            }
            Thread.sleep(250);
        }
    }

    private void onAlert(Alert alert) {
        if (SummaryText.loud(alert)) {
            synchronized (out) {
                out.println(SummaryText.alertLine(alert));
            }
        } else {
            quietAlerts.incrementAndGet();
        }
    }

    private void step(String message) {
        synchronized (out) {
            out.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, message);
        }
    }
}
