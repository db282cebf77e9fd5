package io.trailhound.detect.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.detect.normalize.EventTimes;
import io.trailhound.detect.normalize.JsonFields;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.RecordNormalizer;
import io.trailhound.detect.topology.DetectionProcessors;

/**
 * The first step of the scan, stateless (it may run on its own thread): a raw record through the topology's normalize
 * processor, with the timestamp the scan gives the raw record (its event time read from the JSON, as the scan always did; for a
 * normalized CloudTrail event that is the event's own time, so its JSON is parsed once) and the hash that orders equal times.
 */
final class ScanNormalizer {

    /** Header naming where a raw record came from, as the connector names the S3 key. */
    static final String ORIGIN_HEADER = "key";
    private static final String APPEND_TIME_HEADER = "trailhound.append.ms";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ScanRuntime runtime = new ScanRuntime();
    private final Processor<String, byte[], String, Object> normalize;
    private final String cloudTrailTopic;
    private final String guardDutyTopic;
    private Record<String, Object> out;

    ScanNormalizer(DetectionProcessors processors, String cloudTrailTopic, String guardDutyTopic) {
        this.normalize = processors.normalize();
        this.cloudTrailTopic = cloudTrailTopic;
        this.guardDutyTopic = guardDutyTopic;
        normalize.init(new ScanContext<>(runtime, r -> out = r));
    }

    /** Normalizes the {@code index}th record of part {@code part} (the {@code offset}th of the input), from {@code origin}. */
    ScanRecord normalize(byte[] raw, String origin, int part, int index, long offset) {
        RecordHeaders headers = new RecordHeaders();
        if (origin != null) {
            headers.add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        }
        runtime.take(0L, new ScanRuntime.Metadata(cloudTrailTopic, 0, offset));
        out = null;
        normalize.process(new Record<>(null, raw, 0L, headers));
        Normalized n = out == null ? null : DetectionProcessors.normalized(out.value());
        long time;
        String topic = cloudTrailTopic;
        if (n instanceof Normalized.Event e) {
            time = e.eventTimeMillis();
        } else {
            JsonNode node = parse(raw);
            JsonNode body = node.has("detail-type") ? node.path("detail") : node;
            String text = firstNonNull(JsonFields.text(body, "eventTime"), JsonFields.text(body, "@timestamp"),
                    JsonFields.text(body, "updatedAt"), JsonFields.text(body, "createdAt"));
            time = EventTimes.parse(text).map(Instant::toEpochMilli).orElse(0L);
            topic = RecordNormalizer.isGuardDutyFinding(node) ? guardDutyTopic : cloudTrailTopic;
        }
        if (n != null && !(n instanceof Normalized.Rejected)) {
            // the raw record's timestamp (its append time live) travels in this header
            headers.remove(APPEND_TIME_HEADER);
            headers.add(APPEND_TIME_HEADER, Long.toString(time).getBytes(StandardCharsets.UTF_8));
        }
        // the raw bytes are left behind: only a rejection needs them, and a rejection is only counted here
        return new ScanRecord(time, ScanRecord.hash(raw), part, index, topic, offset, out == null ? null : out.withValue(n));
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static JsonNode parse(byte[] raw) {
        try {
            JsonNode node = MAPPER.readTree(raw);
            return node == null ? JsonFields.MISSING : node;
        } catch (IOException e) {
            return JsonFields.MISSING;
        }
    }
}
