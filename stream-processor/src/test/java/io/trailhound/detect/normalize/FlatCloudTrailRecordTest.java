package io.trailhound.detect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * The one-pass reader of plain CloudTrail records must give exactly what the tree reader gives (JSON-text fields equal as
 * JSON), on every CloudTrail record the tests hold: rule golden events, the attack timelines and the normalizer's samples.
 */
class FlatCloudTrailRecordTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RecordNormalizer normalizer = new RecordNormalizer(new PrincipalResolver(List.of()), 1_000_000);

    @BeforeAll
    static void trustOurAvroClasses() {
        TrustedAvroClasses.install();
    }

    @Test
    void shouldNormalizeEveryTestRecordAsTheTreeReaderDoes() throws IOException {
        int compared = 0;
        for (byte[] raw : corpus()) {
            JsonNode tree = MAPPER.readTree(raw);
            Normalized viaTree = normalizer.normalize(tree);
            Normalized viaBytes = normalizer.normalize(raw);
            assertEquals(viaTree.getClass(), viaBytes.getClass(), new String(raw, StandardCharsets.UTF_8));
            if (viaTree instanceof Normalized.Event t) {
                assertSameEvent(t.event(), ((Normalized.Event) viaBytes).event());
                compared++;
                if (!tree.has("detail")) {
                    assertNotNull(FlatCloudTrailRecord.read(raw), "read in one pass: " + new String(raw, StandardCharsets.UTF_8));
                }
            } else {
                assertEquals(viaTree, viaBytes);
            }
        }
        assertTrue(compared > 400, "compared " + compared + " events");
    }

    @Test
    void shouldCutCompactJsonTextFieldsOutOfTheInputAndRenderOthers() {
        String raw = "{\"eventName\":\"PutBucketPolicy\","
                + "\"requestParameters\": {\"bucketName\" : \"b\", \"policy\":[1, {\"x\":\"\\u00e9\"}]},"
                + "\"responseElements\":null,\"additionalEventData\":\"text\",\"other\":{\"deep\":[{}]},\"eventID\":\"e\"}";
        FlatCloudTrailRecord flat = FlatCloudTrailRecord.read(raw.getBytes(StandardCharsets.UTF_8));
        assertNotNull(flat);
        assertEquals("{\"bucketName\":\"b\",\"policy\":[1,{\"x\":\"é\"}]}", flat.text("requestParameters"),
                "not compact: rendered as the tree reader does");
        assertNull(flat.text("responseElements"));
        assertEquals("text", flat.text("additionalEventData"));
        assertEquals("e", flat.fields().path("eventID").asText());
        assertTrue(flat.fields().path("other").isMissingNode(), "structures nobody reads are skipped");
        String multibyte = "{\"eventName\":\"é\",\"requestParameters\":{\"name\":\"日本\"},\"x\":1}";
        assertEquals("{\"name\":\"日本\"}", FlatCloudTrailRecord.read(multibyte.getBytes(StandardCharsets.UTF_8))
                .text("requestParameters"), "byte offsets, not character offsets");
    }

    @Test
    void shouldTakeOnlyWhatJacksonWouldWriteAsCanonical() {
        for (String yes : List.of("{\"a\":[1,-2,{\"b\":\"x y\\\"z\\\\ \\n\"}],\"c\":null,\"d\":true}", "[]", "\"-0.5 e\"")) {
            assertTrue(FlatCloudTrailRecord.canonical(bytes(yes), 0, bytes(yes).length), yes);
        }
        for (String no : List.of("{\"a\": 1}", "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":-0}", "{\"a\":\"\\/\"}", "{\"a\":\"\\u0041\"}",
                "{\n\"a\":1}")) {
            assertTrue(!FlatCloudTrailRecord.canonical(bytes(no), 0, bytes(no).length), no);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldLeaveEverythingButPlainWellFormedRecordsToTheTreeReader() throws IOException {
        assertNull(FlatCloudTrailRecord.read(RecordNormalizerTest.resource("cloudtrail-eventbridge.json")), "envelope");
        assertNull(FlatCloudTrailRecord.read(RecordNormalizerTest.resource("guardduty-finding.json")), "finding");
        assertNull(FlatCloudTrailRecord.read("{\"eventName\":\"A\"} x".getBytes(StandardCharsets.UTF_8)), "trailing token");
        assertNull(FlatCloudTrailRecord.read("{\"eventName\":".getBytes(StandardCharsets.UTF_8)), "truncated");
        assertNull(FlatCloudTrailRecord.read("{\"eventID\":\"x\"}".getBytes(StandardCharsets.UTF_8)), "no eventName");
        assertNull(FlatCloudTrailRecord.read("[1]".getBytes(StandardCharsets.UTF_8)));
        String trailing = assertInstanceOf(Normalized.Rejected.class,
                normalizer.normalize("{\"eventName\":\"A\",\"eventID\":\"e\"} {}".getBytes(StandardCharsets.UTF_8))).reason();
        assertTrue(trailing.startsWith("malformed JSON"), trailing);
    }

    @Test
    void shouldStripSecretsAndFoldServiceEventDetailsLikeTheTreeReader() {
        String raw = "{\"eventName\":\"AssumeRole\",\"eventID\":\"e\",\"eventTime\":\"2024-01-01T00:00:00Z\",\"responseElements\":"
                + "{\"credentials\":{\"accessKeyId\":\"ASIAX\",\"secretAccessKey\":\"s\",\"sessionToken\":\"t\"}},"
                + "\"additionalEventData\":{\"MFAUsed\":\"No\"},\"serviceEventDetails\":{\"ConsoleLogin\":\"Success\"}}";
        CloudTrailEvent e = ((Normalized.Event) normalizer.normalize(raw.getBytes(StandardCharsets.UTF_8))).event();
        assertEquals("{\"credentials\":{\"accessKeyId\":\"ASIAX\"}}", e.getResponseElements());
        assertEquals("{\"MFAUsed\":\"No\",\"serviceEventDetails\":{\"ConsoleLogin\":\"Success\"}}", e.getAdditionalEventData());
        assertEquals("{\"ConsoleLogin\":\"Success\"}", e.getServiceEventDetails());
    }

    private static void assertSameEvent(CloudTrailEvent tree, CloudTrailEvent flat) {
        assertEquals(tree, flat, tree.getEventId() + " " + tree.getEventName());
    }

    private static List<byte[]> corpus() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Path dir : List.of(Path.of("src/test/resources/normalize"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    out.add(Files.readAllBytes(f));
                }
            }
        }
        List<Path> jsonl = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
            files.filter(f -> f.toString().endsWith(".jsonl")).sorted().forEach(jsonl::add);
        }
        for (Path f : jsonl) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = MAPPER.readTree(line);
                out.add((n.has("event") ? n.get("event").toString() : line).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
