package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.serde.AvroJson;

/**
 * #16 item 5: the scan that drives the processors directly ({@link OfflineScan}) gives what the live topology gives through
 * Kafka Streams' {@link org.apache.kafka.streams.TopologyTestDriver} ({@link DriverScan}) on the same records in the same order:
 * every alert (id, rule, severity, incident, events, every field) and every incident (its members and every field), and the
 * same dead letters and held hits. The whole input is sorted in both (unbounded lateness), so the orders are the same.
 */
class ScanEqualityTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The scan's pipelines in each comparison. */
    static final int[] THREADS = {1, 2, 5};
    private static final Path TIMELINES = Path.of("src/test/resources/timelines/attack_timelines.jsonl");
    /** The Panther corpus panther-eval scores on (outside the repository: the test is skipped without it). */
    private static final Path PANTHER = Path.of(System.getProperty("trailhound.panther.dir", "/work/shared/data/panther"));

    static List<String> attackScenarios() throws IOException {
        return Files.readAllLines(TIMELINES, StandardCharsets.UTF_8).stream().map(l -> read(l).path("scenario").asText())
                .distinct().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attackScenarios")
    void shouldEqualTheTopologyOnEachAttackTimeline(String scenario) throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (String line : Files.readAllLines(TIMELINES, StandardCharsets.UTF_8)) {
            JsonNode row = read(line);
            if (scenario.equals(row.path("scenario").asText())) {
                records.add(MAPPER.writeValueAsBytes(row.path("event")));
            }
        }
        assertSame(Map.of(), records, 1);
    }

    @Test
    void shouldEqualTheTopologyOnAllAttackTimelinesTogether() throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (String line : Files.readAllLines(TIMELINES, StandardCharsets.UTF_8)) {
            records.add(MAPPER.writeValueAsBytes(read(line).path("event")));
        }
        assertSame(Map.of("trailhound.incident.gap.ms", 3_600_000L), records, 10);
    }

    static List<String> identityScenarios() {
        return IdentityTimelines.scenarios();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identityScenarios")
    void shouldEqualTheTopologyOnEachIdentityTimeline(String scenario) {
        assertSame(IdentityTimelines.SETTINGS, IdentityTimelines.records(scenario), 1);
    }

    @Test
    void shouldEqualTheTopologyOnTheGoldenEvents() throws IOException {
        List<byte[]> records = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("src/test/resources/rules"))) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                for (String name : List.of("positive.jsonl", "negative.jsonl")) {
                    records.addAll(ScanInput.read(List.of(d.resolve(name).toString()), new ByteArrayInputStream(new byte[0])));
                }
            }
        }
        records.add("{broken".getBytes(StandardCharsets.UTF_8));
        assertSame(Map.of(), records, 50);
    }

    /** The Panther corpus as panther-eval builds it (a slot of three days per test event), with its GuardDuty findings. */
    @Test
    void shouldEqualTheTopologyOnThePantherCorpus() throws IOException {
        Path cloudTrail = PANTHER.resolve("cloudtrail_rule_tests.jsonl");
        Assumptions.assumeTrue(Files.isRegularFile(cloudTrail), "no Panther corpus at " + PANTHER);
        List<byte[]> records = new ArrayList<>();
        LocalDateTime base = LocalDateTime.of(2025, 1, 6, 0, 0);
        DateTimeFormatter out = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
        int slot = 0;
        for (String line : Files.readAllLines(cloudTrail, StandardCharsets.UTF_8)) {
            JsonNode row = read(line);
            JsonNode e = row.path("event");
            if (!row.path("mocks").isMissingNode() && !row.path("mocks").isNull() || !e.isObject() || !e.has("eventName")) {
                slot++;
                continue;
            }
            ObjectNode copy = ((ObjectNode) e).deepCopy();
            copy.put("eventID", String.format("panther-%04d", slot));
            LocalDateTime day = base.plusDays(3L * slot);
            String time = e.path("eventTime").asText("");
            LocalDateTime at = time.length() >= 19 ? day.plusHours(Integer.parseInt(time.substring(11, 13)))
                    .plusMinutes(Integer.parseInt(time.substring(14, 16))).plusSeconds(Integer.parseInt(time.substring(17, 19))) : day;
            copy.put("eventTime", out.format(at.atOffset(ZoneOffset.UTC)));
            records.add(MAPPER.writeValueAsBytes(copy));
            slot++;
        }
        Path guardDuty = PANTHER.resolve("guardduty_rule_tests.jsonl");
        if (Files.isRegularFile(guardDuty)) {
            for (String line : Files.readAllLines(guardDuty, StandardCharsets.UTF_8)) {
                JsonNode e = read(line).path("event");
                if (e.isObject()) {
                    records.add(MAPPER.writeValueAsBytes(e));
                }
            }
        }
        assertSame(Map.of(), records, 100);
    }

    /** Both scans on {@code records}: equal alerts, incidents, dead letters and held hits; at least {@code minAlerts} alerts. */
    static void assertSame(Map<String, ?> settings, List<byte[]> records, int minAlerts) {
        OfflineScan.Result expected = new DriverScan(settings, RuleCatalog.builtIn()).run(records);
        assertTrue(expected.alerts().size() >= minAlerts, "only " + expected.alerts().size() + " alerts");
        // one pipeline, and the principals split over several (more than this machine's cores: the pipelines run ahead of
        // each other and wait on the shared stores)
        for (int threads : THREADS) {
            OfflineScan.Result actual = new OfflineScan(settings, RuleCatalog.builtIn(), OfflineScan.UNBOUNDED, threads).run(records);
            String k = threads + " thread(s): ";
            assertEquals(expected.records(), actual.records(), k + "records");
            assertEquals(expected.deadLettered(), actual.deadLettered(), k + "dead letters");
            assertEquals(summary(expected.alerts()), summary(actual.alerts()), k + "alert ids, rules, severities, incidents, in order");
            assertEquals(alertLines(expected.alerts()), alertLines(actual.alerts()), k + "every field of every alert");
            assertEquals(incidentLines(expected.incidents()), incidentLines(actual.incidents()), k + "every field of every incident");
            assertEquals(alertLines(expected.held()), alertLines(actual.held()), k + "held hits");
            assertEquals(0, actual.late());
        }
    }

    private static List<String> summary(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getAlertId() + " " + a.getRuleId() + " " + a.getSeverity() + " " + a.getIncidentId()
                + " x" + a.getCount() + " " + a.getEventIds()).toList();
    }

    private static Map<String, String> alertLines(List<Alert> alerts) {
        Map<String, String> lines = new LinkedHashMap<>();
        alerts.forEach(a -> lines.put(a.getAlertId(), AvroJson.write(a)));
        return lines;
    }

    private static Map<String, String> incidentLines(List<Incident> incidents) {
        Map<String, String> lines = new LinkedHashMap<>();
        incidents.forEach(i -> lines.put(i.getIncidentId(), AvroJson.write(i)));
        return lines;
    }

    private static JsonNode read(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
