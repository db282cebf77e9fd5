package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound replay}: the forensic query over the raw CloudTrail topic. Start offsets come from the broker's time index
 * ({@code offsetsForTimes}), so only the asked range (plus the delivery delay) is read, never the whole topic.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, subcommands = ReplayDetectCommand.class,
    description = "Forensic query: read the raw CloudTrail records between two times (start offsets found by timestamp, "
        + "not a full scan), keep those matching every filter, and print them verbatim as JSON lines or as a table. Counts and "
        + "timing go to stderr. 'replay detect' re-runs detection on a time range into replay topics.",
    footer = {"", "Examples:",
        "  # everything one access key did in three hours",
        "  trailhound replay --from 2026-11-02T09:00:00Z --to 2026-11-02T12:00:00Z \\",
        "      --access-key-id AKIAEXAMPLE",
        "  # alice's create calls and bucket policy changes of the last day",
        "  trailhound replay --from P1D --principal user/alice \\",
        "      --event-name 'Create*' --event-name PutBucketPolicy",
        "  # denied calls from a network in the last 6 hours, as a table",
        "  trailhound replay --from 6h --source-ip 203.0.113.0/24 \\",
        "      --error-code AccessDenied --format table",
        "  # re-run detection on two weeks of history (see 'replay detect --help')",
        "  trailhound replay detect --from P14D --replay-id retro-1"})
final class ReplayCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { json, table }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--from", paramLabel = "TIME", converter = ReplayTime.class,
        description = "Required. Start of the range (event time, inclusive): ISO-8601 instant, date, or a duration ago (PT1H, P2D, 30m).")
    private Instant from;

    @Option(names = "--to", paramLabel = "TIME", converter = ReplayTime.class, defaultValue = "now",
        description = "End of the range (event time, exclusive). Default: ${DEFAULT-VALUE}.")
    private Instant to;

    @Option(names = "--max-delivery-delay", paramLabel = "DURATION", defaultValue = "PT1H",
        description = "How much later than its event a raw record may have reached Kafka (CloudTrail delivers within minutes; "
            + "raw records carry the delivery time). Reading stops this long after --to. Default: ${DEFAULT-VALUE}.")
    private Duration maxDeliveryDelay;

    @Option(names = "--access-key-id", paramLabel = "AKIA...", description = "Only calls made with this access key id.")
    private String accessKeyId;

    @Option(names = "--principal", paramLabel = "TEXT",
        description = "Only calls whose caller ARN (or its session issuer's ARN) contains TEXT, e.g. user/alice or role/Deploy.")
    private String principal;

    @Option(names = "--source-ip", paramLabel = "IP|CIDR", description = "Only calls from this address or block (IPv4 or IPv6).")
    private String sourceIp;

    @Option(names = "--event-name", paramLabel = "GLOB", description = "Only these API calls (repeatable; * and ? allowed).")
    private List<String> eventNames;

    @Option(names = "--error-code", paramLabel = "GLOB", description = "Only calls that failed with this error code (repeatable; "
        + "'*' for any error).")
    private List<String> errorCodes;

    @Option(names = "--format", paramLabel = "json|table", defaultValue = "json",
        description = "json (the raw records, one per line) or table. "
        + "Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Override
    public Integer call() {
        if (from == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--from=TIME'");
        }
        if (!from.isBefore(to)) {
            throw new ParameterException(spec.commandLine(), "--from (" + from + ") must be before --to (" + to + ")");
        }
        ReplayFilter filter;
        try {
            filter = new ReplayFilter(accessKeyId, principal, sourceIp, eventNames, errorCodes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        Query query = new Query(filter, spec.commandLine().getOut());
        try (ReplayReader reader = new ReplayReader(kafka.connection())) {
            List<TopicPartition> partitions = reader.partitions(Topics.CLOUDTRAIL_RAW);
            if (partitions.isEmpty()) {
                err.printf("topic %s does not exist at %s: nothing was ingested yet ('trailhound topics --create' creates it)%n",
                    Topics.CLOUDTRAIL_RAW, kafka.bootstrapServers());
                return 1;
            }
            Map<TopicPartition, Long> start = reader.offsetsAt(partitions, from);
            Map<TopicPartition, Long> stop = reader.offsetsAt(partitions, to.plus(maxDeliveryDelay));
            if (format == Format.table) {
                query.header();
            }
            reader.readRange(start, stop, query::accept);
            spec.commandLine().getOut().flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            err.printf("replay %s..%s: read %d records from %d partitions of %s, matched %d, %d unreadable, in %.2f s%n",
                from, to, reader.recordsRead(), partitions.size(), Topics.CLOUDTRAIL_RAW, query.matched, query.unreadable, seconds);
            return 0;
        } catch (ReplayReader.Unreachable e) {
            err.println(e.getMessage());
            return 2;
        } catch (KafkaException e) {
            err.printf("reading %s at %s failed: %s%n", Topics.CLOUDTRAIL_RAW, kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
    }

    /** Filters and prints records; counts what it saw. */
    private final class Query {
        private final ReplayFilter filter;
        private final PrintWriter out;
        private long matched;
        private long unreadable;

        Query(ReplayFilter filter, PrintWriter out) {
            this.filter = filter;
            this.out = out;
        }

        void header() {
            out.printf("%-20s %-34s %-24s %-21s %-39s %-15s %s%n", "EVENT TIME", "EVENT", "SOURCE", "ACCESS KEY", "SOURCE IP",
                "REGION", "ERROR / PRINCIPAL");
        }

        void accept(ConsumerRecord<byte[], byte[]> record) {
            if (record.value() == null) {
                return;
            }
            JsonNode json;
            try {
                json = MAPPER.readTree(record.value());
            } catch (IOException e) {
                unreadable++;
                return;
            }
            if (json == null || !json.isObject()) {
                unreadable++;
                return;
            }
            Instant time = ReplayFilter.eventTime(json);
            Instant when = time != null ? time : Instant.ofEpochMilli(record.timestamp());
            if (when.isBefore(from) || !when.isBefore(to) || !filter.matches(json)) {
                return;
            }
            matched++;
            if (format == Format.json) {
                String raw = new String(record.value(), StandardCharsets.UTF_8);
                // one record per line: verbatim unless AWS's bytes span lines, then compacted (same JSON, no line breaks)
                out.println(raw.indexOf('\n') >= 0 || raw.indexOf('\r') >= 0 ? json.toString() : raw.strip());
            } else {
                JsonNode id = json.path("userIdentity");
                String caller = json.hasNonNull("errorCode") ? json.path("errorCode").asText() : id.path("arn").asText("-");
                out.printf("%-20s %-34s %-24s %-21s %-39s %-15s %s%n", when, cell(json, "eventName"), cell(json, "eventSource"),
                    cell(id, "accessKeyId"), cell(json, "sourceIPAddress"), cell(json, "awsRegion"), caller);
            }
        }

        private static String cell(JsonNode node, String field) {
            String v = node.path(field).asText("");
            v = v.replaceAll("\\p{Cntrl}", "?");
            return v.isEmpty() ? "-" : v;
        }
    }
}
