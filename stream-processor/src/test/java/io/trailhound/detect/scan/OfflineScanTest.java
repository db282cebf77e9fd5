package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.Schema;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Severity;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.serde.AvroJson;

/** The offline scan: input formats, event-time order and byte-for-byte determinism. */
class OfflineScanTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path NORMALIZE = Path.of("src/test/resources/normalize");

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheSameOutputForTheSameInputWhateverItsOrder() throws IOException {
        List<byte[]> records = goldenPositives();
        String first = render(new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(records).alerts());
        List<byte[]> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(7));
        String second = render(new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(shuffled).alerts());
        assertTrue(first.lines().count() > 50, "expected the golden positives to raise many alerts");
        assertEquals(first, second);
    }

    @Test
    void shouldMarkScanAlertsAsReplayAndCountDeadLetters() throws IOException {
        List<byte[]> records = new ArrayList<>(goldenPositives().subList(0, 5));
        records.add("{broken".getBytes(StandardCharsets.UTF_8));
        OfflineScan.Result result = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(records);
        assertEquals(6, result.records());
        assertEquals(1, result.deadLettered());
        assertTrue(result.alerts().stream().allMatch(a -> a.getMode() == Mode.REPLAY));
    }

    @Test
    void shouldReadAJsonArrayOfFindingsAsTheDemoWritesThem() throws IOException {
        String finding = Files.readString(NORMALIZE.resolve("guardduty-finding.json")).trim();
        Path findings = dir.resolve("findings.json");
        Files.writeString(findings, "[ " + finding + ",\n  " + finding + " ]\n");
        List<byte[]> records = ScanInput.read(List.of(findings.toString()), new ByteArrayInputStream(new byte[0]));
        assertEquals(2, records.size());
        assertEquals(0, new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(records).deadLettered());
    }

    @Test
    void shouldReadLogFilesGzipJsonLinesEnvelopesDirectoriesAndStdin() throws IOException {
        String iamUser = Files.readString(NORMALIZE.resolve("iam-user.json")).trim();
        String assumed = Files.readString(NORMALIZE.resolve("assumed-role.json")).trim();
        Path logs = Files.createDirectories(dir.resolve("logs/2024/01/01"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("trail.json.gz")))) {
            out.write(("{\"Records\":[" + iamUser + "," + assumed + "]}").getBytes(StandardCharsets.UTF_8));
        }
        Path lines = dir.resolve("events.jsonl");
        Files.writeString(lines, assumed + "\n\n" + Files.readString(NORMALIZE.resolve("guardduty-eventbridge.json")).trim() + "\n");
        byte[] stdin = (iamUser + "\n").getBytes(StandardCharsets.UTF_8);
        List<byte[]> records = ScanInput.read(List.of(dir.resolve("logs").toString(), lines.toString(), "-"),
                new ByteArrayInputStream(stdin));
        assertEquals(5, records.size());
        assertEquals("GuardDuty Finding", MAPPER.readTree(records.get(3)).path("detail-type").asText());
        OfflineScan.Result result = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(records);
        assertEquals(0, result.deadLettered());
        assertTrue(result.alerts().stream().anyMatch(a -> a.getRuleId().equals("TH-GD-001")));
    }

    @Test
    void shouldPrintEveryFieldOfTheAvroAlertAndReadBackTheSameAlert() throws IOException {
        // #14: the scan's line is the Avro alert itself, the contract `trailhound plan` and the live responder share
        Alert alert = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(goldenFile("TH-IAM-003")).alerts().stream()
                .filter(a -> a.getRuleId().equals("TH-IAM-003")).findFirst().orElseThrow();
        JsonNode json = MAPPER.readTree(AlertJson.json(alert));
        for (Schema.Field field : Alert.getClassSchema().getFields()) {
            assertTrue(json.has(field.name()), field.name());
        }
        for (Schema.Field field : Entities.getClassSchema().getFields()) {
            assertTrue(json.path("entities").has(field.name()), field.name());
        }
        assertEquals("CRITICAL", json.path("severity").asText());
        assertEquals(alert.getPrincipal().getArn(), json.path("principal").path("arn").asText());
        assertEquals(alert.getFirstSeen().toString(), json.path("firstSeen").asText());
        assertEquals(alert, AvroJson.read(json, Alert.class));
        assertEquals("INFO", AlertJson.severity(Severity.INFORMATIONAL), "text output keeps the short label");
        assertEquals("INFORMATIONAL", MAPPER.readTree(AlertJson.json(Alert.newBuilder(alert).setSeverity(Severity.INFORMATIONAL)
                .build())).path("severity").asText(), "JSON carries the schema's symbol");
    }

    private static String render(List<Alert> alerts) {
        StringBuilder sb = new StringBuilder();
        alerts.forEach(a -> sb.append(AlertJson.json(a)).append('\n'));
        return sb.toString();
    }

    private static List<byte[]> goldenFile(String ruleId) throws IOException {
        return ScanInput.read(List.of("src/test/resources/rules/" + ruleId + "/positive.jsonl"), new ByteArrayInputStream(new byte[0]));
    }

    private static List<byte[]> goldenPositives() throws IOException {
        List<byte[]> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("src/test/resources/rules"))) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                all.addAll(ScanInput.read(List.of(d.resolve("positive.jsonl").toString()), new ByteArrayInputStream(new byte[0])));
            }
        }
        return all;
    }
}
