package io.trailhound.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.trailhound.avro.Alert;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.OfflineScan;

/**
 * The known input of the detection scenarios of {@code trailhound bench faults}: realistic CloudTrail records from
 * {@link DetectBenchTrail} (one in a hundred raises an alert) over the last two hours of event time, in event-time order;
 * the same records up to 15 minutes late and out of order; the same records with one record in ten replaced by junk.
 * The alerts it must raise come from the offline scan ({@link OfflineScan}: the live topology through Kafka Streams' test
 * driver, in event-time order), not from a live run, so a live run that loses or repeats alerts cannot define what is expected.
 */
final class FaultBenchInput {

    /** Largest raw record the bench's stream processor accepts ({@code trailhound.max.record.bytes}); larger is oversized. */
    static final int MAX_RECORD_BYTES = 16 * 1024;
    static final Duration MAX_LATENESS = Duration.ofMinutes(15);

    /** One raw record: its key (as the ingest connector writes it) and bytes; {@code junk} records must be dead-lettered. */
    record Raw(String key, byte[] value, boolean junk, Instant eventTime) {
    }

    private final List<Raw> ordered;
    private final List<String> expectedAlerts;
    private final List<String> expectedDedupKeys;
    private final Map<String, Long> expectedFinal;

    FaultBenchInput(int events, long seed) {
        DetectBenchTrail trail = new DetectBenchTrail(Math.max(1, events / 20), seed);
        Instant end = Instant.now().minusSeconds(60);
        Duration span = Duration.ofHours(2);
        Instant start = end.minus(span);
        long step = span.toMillis() / events;
        List<Raw> records = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            Instant time = start.plusMillis(i * step);
            DetectBenchTrail.Event e = i % 100 == 50 ? trail.suspicious(time) : trail.ordinary(time);
            records.add(new Raw(e.eventId(), e.json(), false, time));
        }
        this.ordered = List.copyOf(records);
        OfflineScan.Result result = new OfflineScan(Map.of(), RuleCatalog.builtIn())
            .run(records.stream().map(Raw::value).toList());
        List<String> keys = new ArrayList<>();
        List<String> dedup = new ArrayList<>();
        Map<String, Long> finals = new java.util.HashMap<>();
        for (Alert alert : result.alerts()) {
            finals.put(alert.getAlertId(), alert.getCount());
            for (long n = 1; n <= alert.getCount(); n++) {
                keys.add(alert.getAlertId() + "#" + n);
                dedup.add(alert.getDedupKey() + "#" + n);
            }
        }
        this.expectedAlerts = List.copyOf(keys);
        this.expectedDedupKeys = List.copyOf(dedup);
        this.expectedFinal = Map.copyOf(finals);
    }

    /** The records in event-time order. */
    List<Raw> ordered() {
        return ordered;
    }

    /** The same records, each delivered as if it arrived up to {@link #MAX_LATENESS} late: out of order, none dropped. */
    List<Raw> late(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        record Delayed(Raw raw, long arrival) {
        }
        List<Delayed> delayed = new ArrayList<>();
        for (Raw raw : ordered) {
            delayed.add(new Delayed(raw, raw.eventTime().toEpochMilli() + random.nextLong(MAX_LATENESS.toMillis() + 1)));
        }
        delayed.sort(Comparator.comparingLong(Delayed::arrival));
        return delayed.stream().map(Delayed::raw).toList();
    }

    /** The records with junk after every ninth: malformed JSON, oversized and wrong-type records in turn (10% of the result). */
    List<Raw> withJunk() {
        List<Raw> out = new ArrayList<>();
        int junk = 0;
        for (int i = 0; i < ordered.size(); i++) {
            out.add(ordered.get(i));
            if (i % 9 == 8) {
                out.add(junk(junk++, ordered.get(i).eventTime()));
            }
        }
        return out;
    }

    private static Raw junk(int n, Instant time) {
        String key = "s3://trail/junk/" + n + "#0";
        String text = switch (n % 6) {
            case 0 -> "{\"Records\": [{\"eventVersion\":\"1.09\",\"eventTime\":\"" + time + "\",\"eventName\":";
            case 1 -> oversized(n, time);
            case 2 -> "42";
            case 3 -> "[\"not\", \"a\", \"record\"]";
            case 4 -> "{\"eventVersion\":1.09,\"eventTime\":12345,\"eventName\":{\"not\":\"a name\"},\"userIdentity\":\"root\"}";
            default -> "\"just a string\"";
        };
        return new Raw(key, text.getBytes(StandardCharsets.UTF_8), true, time);
    }

    /** A well-formed CloudTrail record larger than {@link #MAX_RECORD_BYTES}. */
    private static String oversized(int n, Instant time) {
        char[] padding = new char[MAX_RECORD_BYTES + 1024];
        Arrays.fill(padding, 'x');
        return "{\"eventVersion\":\"1.09\",\"eventID\":\"oversized-" + n + "\",\"eventTime\":\"" + time + "\",\"eventSource\":"
            + "\"ec2.amazonaws.com\",\"eventName\":\"DescribeInstances\",\"awsRegion\":\"us-east-1\",\"userIdentity\":{\"type\":"
            + "\"IAMUser\",\"arn\":\"arn:aws:iam::111122223333:user/big\",\"accountId\":\"111122223333\",\"userName\":\"big\"},"
            + "\"requestParameters\":{\"padding\":\"" + new String(padding) + "\"},\"recipientAccountId\":\"111122223333\"}";
    }

    /** Every alert record the input must produce, as {@code alertId#count} (a suppressed repeat is the next count). */
    List<String> expectedAlerts() {
        return expectedAlerts;
    }

    /** The same records as {@code dedupKey#count}. */
    List<String> expectedDedupKeys() {
        return expectedDedupKeys;
    }

    /** The final count of every alert the input must raise. */
    Map<String, Long> expectedFinal() {
        return expectedFinal;
    }
}
