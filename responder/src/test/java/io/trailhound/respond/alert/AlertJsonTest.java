package io.trailhound.respond.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;

class AlertJsonTest {

    @Test
    void shouldReadTheAvroFieldNames() {
        Alert alert = AlertJson.parse("{\"alertId\":\"a1\",\"ruleId\":\"TH-IAM-001\",\"severity\":\"HIGH\",\"mode\":\"LIVE\","
            + "\"principal\":{\"arn\":\"arn:aws:iam::1:user/bob\",\"type\":\"IAMUser\",\"accountId\":\"1\",\"accessKeyId\":\"AKIA1\","
            + "\"userName\":\"bob\"},\"accountId\":\"1\",\"region\":\"eu-west-1\",\"entities\":{\"accessKeyIds\":[\"AKIA1\"],"
            + "\"instanceIds\":[],\"userNames\":[\"bob\"],\"roleArns\":[],\"ips\":[\"203.0.113.9\"],\"buckets\":[]},"
            + "\"incidentId\":\"inc-9\",\"runbook\":\"iam-user-compromise\",\"lastSeen\":\"2026-11-28T00:00:00Z\",\"detectedAt\":1700}");
        assertEquals("a1", alert.getAlertId());
        assertEquals(Severity.HIGH, alert.getSeverity());
        assertEquals(Mode.LIVE, alert.getMode());
        assertEquals(PrincipalType.IAMUser, alert.getPrincipal().getType());
        assertEquals("bob", alert.getPrincipal().getUserName());
        assertEquals(List.of("203.0.113.9"), alert.getEntities().getIpAddresses());
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), alert.getLastSeen());
        assertEquals(Instant.ofEpochMilli(1700), alert.getDetectedAt());
        assertEquals("iam-user-compromise", alert.getRunbook());
    }

    @Test
    void shouldBeLenientAboutMissingOptionalFieldsAndReadAMissingModeAsReplay() {
        Alert alert = AlertJson.parse("{\"alertId\":\"a2\",\"principal\":{\"accountId\":\"123\"}}");
        assertEquals(Mode.REPLAY, alert.getMode());
        assertEquals("123", alert.getAccountId());
        assertEquals(PrincipalType.Unknown, alert.getPrincipal().getType());
        assertNull(alert.getRunbook());
        assertEquals(Mode.REPLAY, AlertJson.parse("{\"alertId\":\"a3\",\"mode\":\"SOMETIMES\"}").getMode());
    }

    @Test
    void shouldRejectLinesThatAreNoAlerts() {
        assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("[1]"));
        assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("{\"ruleId\":\"x\"}"));
    }
}
