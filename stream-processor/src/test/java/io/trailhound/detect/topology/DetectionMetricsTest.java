package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.serde.TrustedAvroClasses;

/** The alert counters: one per rule and severity, each alert counted once. */
class DetectionMetricsTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

    @BeforeAll
    static void trustOurAvroClasses() {
        TrustedAvroClasses.install();
    }

    @Test
    void shouldCountAlertsByRuleAndSeverity() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DetectionMetrics metrics = new DetectionMetrics(registry);
        metrics.alert(alert("a-1", "TH-CT-001", Severity.HIGH));
        metrics.alert(alert("a-2", "TH-CT-001", Severity.HIGH));
        metrics.alert(alert("a-3", "TH-CT-001", Severity.MEDIUM));
        metrics.alert(alert("a-4", "TH-SEC-001", Severity.HIGH));

        assertEquals(2.0, count(registry, "TH-CT-001", "HIGH"));
        assertEquals(1.0, count(registry, "TH-CT-001", "MEDIUM"));
        assertEquals(1.0, count(registry, "TH-SEC-001", "HIGH"));
        assertEquals(3, registry.find("trailhound.alerts").counters().size());
    }

    private static double count(SimpleMeterRegistry registry, String rule, String severity) {
        return registry.get("trailhound.alerts").tag("rule", rule).tag("severity", severity).counter().count();
    }

    private static Alert alert(String id, String rule, Severity severity) {
        return Alert.newBuilder().setAlertId(id).setDedupKey(id).setRuleId(rule).setRuleKind(RuleKind.SIGNATURE).setTitle("t")
                .setSeverity(severity).setAccountId("222222222222").setRegion("us-east-1").setEntities(Entities.newBuilder().build())
                .setEventIds(List.of("e-" + id)).setFindingIds(List.of()).setCount(1L).setFirstSeen(T).setLastSeen(T).setDetectedAt(T)
                .setMode(Mode.LIVE).build();
    }
}
