package io.trailhound.respond.safety;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Mode;
import io.trailhound.avro.Severity;
import io.trailhound.respond.TestAlerts;

class AlertGateTest {

    private final AlertGate gate = new AlertGate(Duration.ofMinutes(30));

    @Test
    void shouldLetAFreshLiveAlertThrough() {
        assertTrue(gate.refusal(TestAlerts.iamUser().build(), TestAlerts.NOW).isEmpty());
    }

    @Test
    void shouldRefuseReplayedAlerts() {
        String reason = gate.refusal(TestAlerts.iamUser().setMode(Mode.REPLAY).build(), TestAlerts.NOW).orElseThrow();
        assertTrue(reason.contains("REPLAY"), reason);
    }

    @Test
    void shouldRefuseAlertsOlderThanTheBound() {
        Instant old = TestAlerts.NOW.minus(Duration.ofMinutes(31));
        String reason = gate.refusal(TestAlerts.iamUser().setLastSeen(old).setDetectedAt(old).build(), TestAlerts.NOW).orElseThrow();
        assertTrue(reason.contains("stale"), reason);
        Instant fresh = TestAlerts.NOW.minus(Duration.ofMinutes(29));
        assertTrue(gate.refusal(TestAlerts.iamUser().setLastSeen(fresh).setDetectedAt(old).build(), TestAlerts.NOW).isEmpty());
    }

    @Test
    void shouldRefuseAlertsBelowTheSeverityFloor() {
        String reason = gate.refusal(TestAlerts.iamUser().setSeverity(Severity.LOW).build(), TestAlerts.NOW).orElseThrow();
        assertTrue(reason.contains("below the responder's floor MEDIUM"), reason);
        assertTrue(gate.refusal(TestAlerts.iamUser().setSeverity(Severity.MEDIUM).build(), TestAlerts.NOW).isEmpty());
        AlertGate everything = new AlertGate(Duration.ofMinutes(30), Severity.INFORMATIONAL);
        assertTrue(everything.refusal(TestAlerts.iamUser().setSeverity(Severity.INFORMATIONAL).build(), TestAlerts.NOW).isEmpty());
        AlertGate highOnly = new AlertGate(Duration.ofMinutes(30), Severity.HIGH);
        assertTrue(highOnly.refusal(TestAlerts.iamUser().setSeverity(Severity.MEDIUM).build(), TestAlerts.NOW).isPresent());
    }

    @Test
    void shouldRefuseAlertsWithoutEventTime() {
        String reason = gate.refusal(TestAlerts.iamUser().setLastSeen(Instant.EPOCH).setDetectedAt(Instant.EPOCH).build(),
            TestAlerts.NOW).orElseThrow();
        assertTrue(reason.contains("no event time"), reason);
    }
}
