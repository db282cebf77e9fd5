package io.trailhound.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.trailhound.demo.Demo;
import io.trailhound.demo.DemoOptions;
import io.trailhound.demo.DemoResult;
import io.trailhound.demo.sample.SampleData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trailhound demo}: the whole pipeline on loopback (KRaft broker, schema registry, Connect worker with our
 * connectors, stream processor, responder in dry run) fed the bundled sample organization; prints alerts as they arrive and
 * the incident with its chain of identities, timeline and containment plan. The work is done by the demo module.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run Trailhound end to end on this machine, offline, on a bundled sample: a real KRaft broker, the schema "
            + "registry, a Kafka Connect worker running the CloudTrail and GuardDuty connectors, the stream processor and the "
            + "responder in dry run. Two weeks of an organization's history, then an intrusion; prints the alerts, then the "
            + "incident (chain of identities, timeline, containment plan). Stops everything at the end unless --follow.",
            "Exit status: 0 when an incident was summarised, 1 when none was, 2 on a failure to start or ingest."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--follow", description = "Keep the pipeline running after the summary and print new alerts until Ctrl-C.")
    private boolean follow;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "150",
        description = "Longest wait for each phase (start, history, intrusion) before giving up. Default: ${DEFAULT-VALUE}.")
    private long timeoutSeconds;

    @Option(names = "--seed", defaultValue = "" + SampleData.DEFAULT_SEED,
        description = "Seed of the bundled sample (same seed, same records). Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        DemoOptions options = new DemoOptions(out, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(3), follow, seed);
        String logs = System.getProperty(Trailhound.LOG_FILE_PROPERTY);
        if (logs != null) {
            out.println("(the broker's, Connect's and Kafka Streams' own logs go to " + logs + ")");
        }
        try {
            DemoResult result = Demo.run(options);
            if (result.summary().isPresent()) {
                Path iam = DemoBlastRadius.extract(Files.createTempDirectory("trailhound-demo-iam-"));
                DemoBlastRadius.print(out, iam, DemoBlastRadius.of(iam));
            }
            return result.summary().isPresent() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            System.err.println("trailhound demo: " + e.getMessage());
            return 2;
        }
    }
}
