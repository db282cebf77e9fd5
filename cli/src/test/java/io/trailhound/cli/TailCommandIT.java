package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.topic.Topics;

/** {@code trailhound tail} against a real broker and registry: where it starts, what it filters, how it stops. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TailCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.now();
    private static final Instant TWO_HOURS_AGO = NOW.minus(Duration.ofHours(2));
    private static final Instant TEN_MINUTES_AGO = NOW.minus(Duration.ofMinutes(10));

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void alerts() throws Exception {
        KAFKA.createTopic(Topics.ALERTS, 3, Map.of());
        KAFKA.createTopic(Topics.INCIDENTS, 3, Map.of());
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        List<Alert> alerts = List.of(
            ReportSamples.alert("old-alice", "TH-IAM-003", Severity.HIGH, ReportSamples.user("111122223333", "alice", "AKIAALICE"),
                "111122223333", TWO_HOURS_AGO),
            ReportSamples.alert("old-bob", "TH-EC2-001", Severity.LOW, ReportSamples.user("111122223333", "bob", "AKIABOB"),
                "111122223333", TWO_HOURS_AGO),
            ReportSamples.alert("new-alice", "TH-S3-002", Severity.CRITICAL, ReportSamples.user("222233334444", "alice", "AKIAALICE2"),
                "222233334444", TEN_MINUTES_AGO),
            ReportSamples.alert("new-carol", "TH-IAM-007", Severity.MEDIUM, ReportSamples.user("222233334444", "carol", "AKIACAROL"),
                "222233334444", TEN_MINUTES_AGO));
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.alerts(), alerts.stream().map(Alert::getAlertId).toList(), alerts,
            List.of(TWO_HOURS_AGO, TWO_HOURS_AGO, TEN_MINUTES_AGO, TEN_MINUTES_AGO));
        Incident incident = Incident.newBuilder().setIncidentId("inc-1").setTitle("Leaked key of alice").setSeverity(Severity.CRITICAL)
            .setPrincipal(alerts.get(0).getPrincipal()).setAccountIds(List.of("111122223333", "222233334444"))
            .setAlerts(List.of(AlertRef.newBuilder().setAlertId("old-alice").setRuleId("TH-IAM-003").setTitle("t")
                .setSeverity(Severity.HIGH).setTime(TWO_HOURS_AGO).build()))
            .setStartedAt(TWO_HOURS_AGO).setLastActivityAt(TWO_HOURS_AGO).build();
        ReportSamples.produce(KAFKA.bootstrapServers(), topics.incidents(), List.of("inc-1"), List.of(incident), List.of(TWO_HOURS_AGO));
    }

    private List<String> ids(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("tail", "--bootstrap-server", KAFKA.bootstrapServers(), "--schema-registry",
            REGISTRY.url(), "--format", "json", "--until-end", "--timeout", "90s"));
        args.addAll(List.of(extra));
        assertEquals(0, cli.exec(args.toArray(String[]::new)), cli.err());
        List<String> ids = new ArrayList<>();
        for (String line : cli.out().split("\n")) {
            if (!line.isBlank()) {
                JsonNode json = MAPPER.readTree(line);
                ids.add(json.has("alertId") ? json.get("alertId").asText() : json.get("incidentId").asText());
            }
        }
        ids.sort(null);
        return ids;
    }

    @Test
    @Order(1)
    void shouldReadEverythingFromTheBeginningAsTheScansJsonLines() throws Exception {
        assertEquals(List.of("new-alice", "new-carol", "old-alice", "old-bob"), ids("--from-beginning"));
        assertTrue(cli.out().contains("\"ruleId\":\"TH-IAM-003\""), cli.out());
    }

    @Test
    @Order(2)
    void shouldStartAtATimeGivenAsADurationAgoOrAnInstant() throws Exception {
        assertEquals(List.of("new-alice", "new-carol"), ids("--from", "PT1H"));
        assertEquals(List.of("new-alice", "new-carol", "old-alice", "old-bob"),
            new TailCommandIT().ids("--from", NOW.minus(Duration.ofHours(3)).toString()));
    }

    @Test
    @Order(3)
    void shouldFilterBySeverityRulePrincipalAndAccount() throws Exception {
        assertEquals(List.of("new-alice", "old-alice"), new TailCommandIT().ids("--from-beginning", "--min-severity", "high"));
        assertEquals(List.of("new-carol", "old-alice"), new TailCommandIT().ids("--from-beginning", "--rule", "TH-IAM-*"));
        assertEquals(List.of("new-alice", "old-alice"), new TailCommandIT().ids("--from-beginning", "--principal", "user/alice"));
        assertEquals(List.of("old-bob"), new TailCommandIT().ids("--from-beginning", "--principal", "AKIABOB"));
        assertEquals(List.of("new-alice", "new-carol"), new TailCommandIT().ids("--from-beginning", "--account", "222233334444"));
        assertEquals(List.of("old-alice"), new TailCommandIT().ids("--from-beginning", "--account", "111122223333",
            "--min-severity", "MEDIUM"));
    }

    @Test
    @Order(4)
    void shouldStopAfterMaxAndPrintAlignedTextWithoutColourWhenPiped() {
        assertEquals(0, cli.exec("tail", "--bootstrap-server", KAFKA.bootstrapServers(), "--schema-registry", REGISTRY.url(),
            "--from-beginning", "--max", "2", "--timeout", "60s"), cli.err());
        String[] lines = cli.out().split("\n");
        assertEquals(2, lines.length, cli.out());
        assertFalse(cli.out().contains("\u001b["), "no colour when not a terminal");
        assertTrue(cli.out().matches("(?s).*(HIGH|LOW|CRITICAL|MEDIUM) .*"), cli.out());
    }

    @Test
    @Order(5)
    void shouldTailIncidentsWithTheirFilters() throws Exception {
        assertEquals(List.of("inc-1"), ids("--incidents", "--from-beginning", "--rule", "TH-IAM-003", "--account", "222233334444"));
        assertEquals(List.of(), new TailCommandIT().ids("--incidents", "--from-beginning", "--rule", "TH-EC2-*"));
    }

    @Test
    @Order(6)
    void shouldStartAtTheEndByDefaultAndPrintOnlyNewAlerts() throws Exception {
        CompletableFuture<Integer> tail = CompletableFuture.supplyAsync(() -> cli.exec("tail", "--bootstrap-server",
            KAFKA.bootstrapServers(), "--schema-registry", REGISTRY.url(), "--format", "json", "--max", "1", "--timeout", "90s"));
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        int n = 0;
        while (!tail.isDone() && n < 150) {
            Alert live = ReportSamples.alert("live-" + n, "TH-LIVE-1", Severity.LOW, ReportSamples.user("333344445555", "dave", "AKIAD"),
                "333344445555", Instant.now());
            ReportSamples.produce(KAFKA.bootstrapServers(), topics.alerts(), List.of(live.getAlertId()), List.of(live),
                List.of(Instant.now()));
            n++;
            Thread.sleep(500);
        }
        assertEquals(0, tail.get(30, TimeUnit.SECONDS), cli.err());
        JsonNode printed = MAPPER.readTree(cli.out().strip());
        assertTrue(printed.get("alertId").asText().startsWith("live-"), "only alerts written after the start: " + cli.out());
    }

    @Test
    @Order(7)
    void shouldSayWhichAddressIsUnreachableAndHowToStartABroker() {
        String address = "127.0.0.1:" + FreePort.pick();
        assertEquals(2, cli.exec("tail", "--bootstrap-server", address, "--timeout", "5s"));
        assertTrue(cli.err().contains("cannot reach Kafka at " + address + "; start one with ./trailhound demo --follow"), cli.err());
    }
}
