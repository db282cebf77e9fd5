package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;

import io.trailhound.access.SnapshotOptions;
import io.trailhound.access.SnapshotReader;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailhound report INCIDENT_ID}: the post-incident report, as Markdown or a self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the post-incident report of one incident: timeline of events, alerts, findings and actions; the "
        + "identity chain; affected accounts, regions and resources; GuardDuty findings; response actions taken and pending with "
        + "their AWS request ids; evidence locations. Markdown, or one self-contained HTML page (no script, no external file) with "
        + "the timeline and the chain drawn as SVG.",
    footer = {"", "Examples:",
        "  # Markdown on stdout",
        "  trailhound report inc-4f2a91",
        "  # one HTML file to open in any browser, offline",
        "  trailhound report inc-4f2a91 --format html --output inc-4f2a91.html",
        "  # which incidents there are",
        "  trailhound tail --incidents --from-beginning --timeout 5s"})
final class ReportCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { md, html }

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "INCIDENT_ID", description = "Id of the incident (the key on trailhound.incidents).")
    private String incidentId;

    @Option(names = "--format", paramLabel = "md|html", defaultValue = "md",
        description = "md (Markdown) or html. Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    private Path output;

    @Option(names = "--snapshot", paramLabel = "DIR",
        description = "IAM snapshot directory (as trailhound access reads it): adds the blast radius of the incident's identities.")
    private Path snapshot;

    @Option(names = "--max-hops", defaultValue = "5", description = "Longest path of the blast radius (default: ${DEFAULT-VALUE}).")
    private int maxHops;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ReportData data;
        try (ReplayReader reader = new ReplayReader(kafka.connection())) {
            reader.checkReachable();
            if (reader.partitions(Topics.INCIDENTS).isEmpty()) {
                err.printf("no incidents yet: topic %s does not exist at %s%n", Topics.INCIDENTS, kafka.bootstrapServers());
                return 1;
            }
            data = ReportData.load(reader, kafka.topics(), incidentId, err);
        } catch (ReplayReader.Unreachable e) {
            err.println(e.getMessage());
            return 2;
        } catch (KafkaException e) {
            err.printf("reading the incident topics at %s failed: %s%n", kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
        if (data == null) {
            err.printf("unknown incident '%s': no record with that key on %s at %s ('trailhound tail --incidents --from-beginning "
                + "--timeout 5s' lists the incidents)%n", TailFormat.clean(incidentId), Topics.INCIDENTS, kafka.bootstrapServers());
            return 1;
        }
        ReportBlastRadius blast = ReportBlastRadius.NONE;
        if (snapshot != null) {
            try {
                blast = ReportBlastRadius.of(SnapshotReader.read(snapshot, new SnapshotOptions(Set.of(), null, Instant.now())),
                    data.incident(), maxHops);
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        String generatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String text = format == Format.html ? ReportHtml.render(data, generatedAt, blast)
            : ReportMarkdown.render(data, generatedAt, blast);
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            err.printf("wrote %s (%d alerts, %d actions, %d timeline entries)%n", output, data.alerts().size(), data.actions().size(),
                data.timeline().size());
        }
        return 0;
    }
}
