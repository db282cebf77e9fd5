package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.Schema;

import io.trailhound.avro.AccessSummary;
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

    /** A scan with {@code lateness} over {@code threads} pipelines. */
    private static OfflineScan scan(Duration lateness, int threads) {
        return new OfflineScan(Map.of(), RuleCatalog.builtIn(), lateness, threads);
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldGiveTheSameOutputForTheSameInputWhateverItsOrderWithAnUnboundedLateness(int threads) throws IOException {
        List<byte[]> records = goldenPositives();
        String first = render(scan(OfflineScan.UNBOUNDED, threads).run(records).alerts());
        List<byte[]> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(7));
        OfflineScan.Result second = scan(OfflineScan.UNBOUNDED, threads).run(shuffled);
        assertTrue(first.lines().count() > 50, "expected the golden positives to raise many alerts");
        assertEquals(first, render(second.alerts()));
        assertEquals(0, second.late());
    }

    /**
     * #16: the input is put in order within the lateness only: records shuffled within a few minutes give the output of the
     * sorted input; a record later than the lateness is still scanned (its alert raised) and counted.
     */
    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldOrderWithinTheLatenessAndScanALateRecordOutOfOrder(int threads) throws IOException {
        List<byte[]> sorted = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sorted.add(("{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA1\","
                    + "\"arn\":\"arn:aws:iam::111111111111:user/w\",\"accountId\":\"111111111111\",\"userName\":\"w\"},"
                    + "\"eventTime\":\"2024-05-01T10:" + String.format("%02d", i) + ":00Z\",\"eventSource\":\"cloudtrail.amazonaws.com\","
                    + "\"eventName\":\"" + (i % 10 == 9 ? "StopLogging" : "DescribeTrails") + "\",\"awsRegion\":\"us-east-1\","
                    + "\"sourceIPAddress\":\"203.0.113.9\",\"userAgent\":\"aws-cli/2\",\"eventID\":\"w-" + i + "\","
                    + "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111111111111\"}").getBytes(StandardCharsets.UTF_8));
        }
        String expected = render(scan(OfflineScan.DEFAULT_LATENESS, threads).run(sorted).alerts());
        assertTrue(expected.contains("StopLogging") || expected.lines().count() >= 4, expected);
        List<byte[]> nearly = new ArrayList<>(sorted);
        for (int i = 0; i + 3 < nearly.size(); i += 4) {
            Collections.swap(nearly, i, i + 3);
        }
        OfflineScan.Result within = scan(OfflineScan.DEFAULT_LATENESS, threads).run(nearly);
        assertEquals(expected, render(within.alerts()), "three minutes out of order, within the default 15 minutes");
        assertEquals(0, within.late());
        List<byte[]> late = new ArrayList<>(sorted.subList(1, sorted.size()));
        late.add(sorted.get(0));
        late.add(sorted.get(9));
        OfflineScan.Result lateResult = scan(Duration.ofMinutes(5), threads).run(late);
        assertEquals(2, lateResult.late(), "the first record and a StopLogging came 39 and 30 minutes late");
        assertEquals(41, lateResult.records());
        assertTrue(lateResult.alerts().stream().anyMatch(a -> a.getEventIds().contains("w-9")), "a late record is scanned");
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldMarkScanAlertsAsReplayAndCountDeadLetters(int threads) throws IOException {
        List<byte[]> records = new ArrayList<>(goldenPositives().subList(0, 5));
        records.add("{broken".getBytes(StandardCharsets.UTF_8));
        OfflineScan.Result result = scan(OfflineScan.DEFAULT_LATENESS, threads).run(records);
        assertEquals(6, result.records());
        assertEquals(1, result.deadLettered());
        assertTrue(result.alerts().stream().allMatch(a -> a.getMode() == Mode.REPLAY));
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldReadAJsonArrayOfFindingsAsTheDemoWritesThem(int threads) throws IOException {
        String finding = Files.readString(NORMALIZE.resolve("guardduty-finding.json")).trim();
        Path findings = dir.resolve("findings.json");
        Files.writeString(findings, "[ " + finding + ",\n  " + finding + " ]\n");
        List<byte[]> records = ScanInput.read(List.of(findings.toString()), new ByteArrayInputStream(new byte[0]));
        assertEquals(2, records.size());
        assertEquals(0, scan(OfflineScan.DEFAULT_LATENESS, threads).run(records).deadLettered());
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void shouldReadLogFilesGzipJsonLinesEnvelopesDirectoriesAndStdin(int threads) throws IOException {
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
        OfflineScan.Result result = scan(OfflineScan.DEFAULT_LATENESS, threads).run(records);
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
        // #15: a live alert carries its principal's access summary (a scan has no IAM snapshots: null), in the same line
        Alert enriched = Alert.newBuilder(alert).setAccessSummary(AccessSummary.newBuilder()
                .setPrincipalArn(alert.getPrincipal().getArn()).setAdminEquivalent(true).setAdminConfidence("DEFINITE")
                .setReachableAccountCount(1).setReachableAccounts(List.of("111122223333", "444455556666")).setRiskScore(65)
                .setTopAdminRoles(List.of("arn:aws:iam::444455556666:role/admin")).setSnapshotEpoch(alert.getFirstSeen()).build()).build();
        JsonNode withAccess = MAPPER.readTree(AlertJson.json(enriched));
        for (Schema.Field field : AccessSummary.getClassSchema().getFields()) {
            assertTrue(withAccess.path("accessSummary").has(field.name()), field.name());
        }
        assertTrue(json.path("accessSummary").isNull(), "printed even when null");
        assertEquals(enriched, AvroJson.read(withAccess, Alert.class));
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
