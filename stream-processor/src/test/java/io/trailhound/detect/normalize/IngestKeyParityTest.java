package io.trailhound.detect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.keying.KeyFields;
import io.trailhound.keying.PrincipalKeys;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * #16: the key the ingest transform gives a raw record ({@link PrincipalKeys#recordKey} over {@link KeyFields}) is the key the
 * normalizer keys it on (an event's principal key, a finding's id), for every raw record of the test resources: golden
 * events, attack and identity timelines, real CloudTrail records and GuardDuty findings, envelopes.
 */
class IngestKeyParityTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Pattern> SHARED = List.of(Pattern.compile("AWSReservedSSO_.*"));

    @Test
    void shouldKeyEveryRawRecordAsTheNormalizerDoes() throws IOException {
        TrustedAvroClasses.install();
        PrincipalResolver resolver = new PrincipalResolver(SHARED);
        RecordNormalizer normalizer = new RecordNormalizer(resolver, 1_048_576);
        int events = 0;
        int findings = 0;
        int federation = 0;
        for (byte[] raw : rawRecords()) {
            Normalized n = normalizer.normalize(raw);
            String expected;
            if (n instanceof Normalized.Event e) {
                expected = e.event().getPrincipal().getPrincipalKey();
                events++;
                federation += expected.contains("/federation:") ? 1 : 0;
            } else if (n instanceof Normalized.Finding f) {
                expected = f.finding().getFindingId();
                findings++;
            } else {
                continue;
            }
            String record = new String(raw, StandardCharsets.UTF_8);
            assertEquals(expected, resolver.keys().recordKey(KeyFields.read(raw, 0, raw.length)), record);
            assertEquals(expected, resolver.keys().recordKey(MAPPER.readTree(raw)), record);
        }
        assertTrue(events > 2_000 && findings >= 3 && federation > 100, events + " events, " + findings + " findings, " + federation
                + " federation calls");
    }

    /** Every record of the test resources: each .json file, each line of .jsonl files (the {@code event} of timeline lines). */
    private static List<byte[]> rawRecords() throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json")) {
                    out.add(Files.readAllBytes(file));
                } else if (name.endsWith(".jsonl")) {
                    for (String line : Files.readAllLines(file)) {
                        if (!line.isBlank()) {
                            out.add(record(line));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static byte[] record(String line) throws IOException {
        JsonNode tree = MAPPER.readTree(line);
        JsonNode event = tree.get("event");
        return (event != null && event.isObject() ? event.toString() : line).getBytes(StandardCharsets.UTF_8);
    }
}
