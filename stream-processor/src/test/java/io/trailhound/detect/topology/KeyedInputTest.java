package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.normalize.EventTimes;
import io.trailhound.detect.scan.IdentityTimelines;
import io.trailhound.keying.PrincipalKeys;

/**
 * #16 item 1: raw records keyed at ingest (as the PrincipalKey transform keys them) go straight to their principal's task;
 * records without that key (another producer) take the by-principal repartition; both give the same alerts and incidents,
 * and a topic mixing both too.
 */
class KeyedInputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PrincipalKeys KEYS = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));
    private static final String BY_PRINCIPAL = "topology-test-by-principal-repartition";

    @TempDir
    Path stateDir;

    @Test
    void shouldGiveTheSameAlertsAndIncidentsKeyedUnkeyedAndMixedAndRepartitionOnlyWhatIsNotKeyed() throws IOException {
        List<byte[]> records = new ArrayList<>();
        for (String scenario : IdentityTimelines.attacks()) {
            records.addAll(IdentityTimelines.records(scenario));
        }
        records.sort(Comparator.comparing(KeyedInputTest::eventTime));

        Run unkeyed = run(records, i -> false, "unkeyed");
        Run keyed = run(records, i -> true, "keyed");
        Run mixed = run(records, i -> i % 3 == 0, "mixed");

        assertTrue(unkeyed.alerts().size() > 20, "the timelines raise alerts: " + unkeyed.alerts().size());
        assertEquals(unkeyed.alerts(), keyed.alerts(), "same alerts (id, rule, severity, count, incident key)");
        assertEquals(unkeyed.alerts(), mixed.alerts());
        assertEquals(unkeyed.incidents(), keyed.incidents(), "same incidents and members");
        assertEquals(unkeyed.incidents(), mixed.incidents());
        assertEquals(records.size(), unkeyed.repartitioned(), "unkeyed: every event took the by-principal hop");
        assertEquals(0, keyed.repartitioned(), "keyed at ingest: none did");
        assertTrue(mixed.repartitioned() > 0 && mixed.repartitioned() < records.size(), "mixed: those without their key");
        assertFalse(keyed.unkeyedCount() > 0, "the unkeyed counter stays at 0 for keyed input");
        assertEquals(mixed.repartitioned(), mixed.unkeyedCount(), 0.0, "the counter counts the hops");
    }

    private interface Keying {
        boolean keyed(int index);
    }

    private record Run(Map<String, String> alerts, Map<String, List<String>> incidents, long repartitioned, double unkeyedCount) {
    }

    private Run run(List<byte[]> records, Keying keying, String name) throws IOException {
        DetectionMetrics metrics = DetectionMetrics.none();
        try (TopologyFixture t = new TopologyFixture(stateDir.resolve(name), IdentityTimelines.SETTINGS, metrics)) {
            for (int i = 0; i < records.size(); i++) {
                byte[] raw = records.get(i);
                String key = keying.keyed(i) ? KEYS.recordKey(MAPPER.readTree(raw)) : null;
                t.cloudTrail.pipeInput(key, raw, Instant.parse(eventTime(raw)).plusSeconds(60));
            }
            Map<String, String> alerts = new TreeMap<>();
            t.alerts().forEach(a -> alerts.put(a.getAlertId(), describe(a)));
            Map<String, List<String>> incidents = new TreeMap<>();
            for (Incident i : t.incidents.readValuesToList()) {
                incidents.put(i.getIncidentId(), i.getAlerts().stream().map(r -> r.getAlertId()).sorted().toList());
            }
            long hops = t.driver.producedTopicNames().contains(BY_PRINCIPAL) ? t.driver.createOutputTopic(BY_PRINCIPAL,
                    new StringDeserializer(), new ByteArrayDeserializer()).getQueueSize() : 0;
            return new Run(alerts, incidents, hops, metrics.unkeyedRecords());
        }
    }

    private static String describe(Alert a) {
        return a.getRuleId() + " " + a.getSeverity() + " x" + a.getCount() + " " + a.getIncidentId();
    }

    private static String eventTime(byte[] raw) {
        try {
            return EventTimes.parse(MAPPER.readTree(raw).path("eventTime").asText()).orElseThrow().toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
