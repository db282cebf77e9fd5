package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;

import io.trailhound.detect.replay.ReplayResult;
import io.trailhound.detect.replay.ReplayRun;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound replay detect}: re-runs the detection topology over history through the stream processor's
 * {@link ReplayRun}, under a fresh application id, writing only to {@code trailhound.replay.<id>.*} topics in mode REPLAY
 * (never the live alert topic; the responder never acts on REPLAY).
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = "Re-run detection on a time range of the raw topics under a fresh application id, into the replay topics "
        + "trailhound.replay.<id>.{events,lineage,alerts,incidents} (mode REPLAY: never the live alert topic, never acted on). "
        + "Use it to re-run new or changed rules on history. Waits until the replay has caught up, then prints counts.",
    footer = {"", "Examples:",
        "  trailhound replay detect --from P14D --replay-id retro-1",
        "  trailhound replay detect --from 2026-11-01 --to 2026-11-03 \\",
        "      --replay-id case-42 --timeout PT20M"})
final class ReplayDetectCommand implements Callable<Integer> {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--from", paramLabel = "TIME", converter = ReplayTime.class, required = true,
        description = "First event time replayed: ISO-8601 instant, date, or a duration ago (PT1H, P2D, 30m).")
    private Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = ReplayTime.class,
        description = "First event time no longer replayed (default: no end, everything ingested so far).")
    private Instant to;

    @Option(names = "--replay-id", paramLabel = "ID",
        description = "Names the run and its topics: 1 to 100 letters, digits or hyphens, not used before "
            + "(default: r-<current UTC time>).")
    private String replayId;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M", converter = TailCommand.TimeoutConverter.class,
        description = "Longest the run may take before it stops unfinished. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String id = replayId != null ? replayId : "r-" + ID_TIME.format(Instant.now());
        try {
            kafka.topics().replay(id);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--replay-id: " + e.getMessage(), e);
        }
        if (to != null && !from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--from (" + from + ") must be before --to (" + to + ")");
        }
        try (ReplayReader reader = new ReplayReader(kafka.connection())) {
            reader.checkReachable();
        } catch (ReplayReader.Unreachable e) {
            err.println(e.getMessage());
            return 2;
        }
        Map<String, Object> settings = new HashMap<>();
        settings.putAll(kafka.connection());
        settings.putAll(kafka.registry());
        err.printf("replaying %s..%s from %s and %s as %s%s%n", from, to == null ? "now" : to, Topics.CLOUDTRAIL_RAW,
            Topics.GUARDDUTY_RAW, ReplayRun.APPLICATION_ID_PREFIX, id);
        ReplayResult result;
        try {
            result = ReplayRun.run(settings, id, from, to, timeout);
        } catch (IllegalArgumentException | IllegalStateException | KafkaException e) {
            err.printf("replay %s failed: %s%n", id, e.getMessage());
            return 1;
        }
        out.printf("replay %s: read %d raw records (%d dead-lettered to %s), %d alerts on %s, %d signals on %s, %d incidents on %s,"
            + " in %.1f s%n", result.replayId(), result.recordsRead(), result.deadLettered(), result.deadLetterTopic(), result.alerts(),
            result.topics().alerts().name(), result.signals(), result.topics().signals().name(), result.incidents(),
            result.topics().incidents().name(), result.elapsed().toMillis() / 1e3);
        out.flush();
        if (!result.completed()) {
            err.printf("replay %s stopped after --timeout %s before reaching the end of the raw topics; its topics hold a partial "
                + "result%n", id, timeout);
            return 1;
        }
        return 0;
    }
}
