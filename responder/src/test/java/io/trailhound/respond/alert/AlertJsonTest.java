package io.trailhound.respond.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.respond.TestAlerts;
import io.trailhound.serde.AvroJson;

class AlertJsonTest {

    @Test
    void shouldReadTheLineScanPrintsIntoTheSameAlert() {
        // #14: scan prints the Avro alert through AvroJson; plan must read every field of it back
        Alert alert = TestAlerts.instance("i-0123456789abcdef0").setFindingTypes(List.of("CryptoCurrency:EC2/BitcoinTool.B!DNS"))
            .setSeverity(Severity.INFORMATIONAL).build();
        assertEquals(alert, AlertJson.parse(AvroJson.write(alert)));
    }

    @Test
    void shouldReadTheAvroFieldNames() {
        Alert alert = AlertJson.parse("{\"alertId\":\"a1\",\"ruleId\":\"TH-IAM-001\",\"severity\":\"HIGH\",\"mode\":\"LIVE\","
            + "\"principal\":{\"arn\":\"arn:aws:iam::1:user/bob\",\"type\":\"IAMUser\",\"accountId\":\"1\",\"accessKeyId\":\"AKIA1\","
            + "\"userName\":\"bob\"},\"accountId\":\"1\",\"region\":\"eu-west-1\",\"entities\":{\"accessKeyIds\":[\"AKIA1\"],"
            + "\"ipAddresses\":[\"203.0.113.9\"]},\"findingTypes\":[\"UnauthorizedAccess:IAMUser/TorIPCaller\"],"
            + "\"ruleKind\":\"CORRELATION\","
            + "\"incidentId\":\"inc-9\",\"runbook\":\"iam-user-compromise\",\"lastSeen\":\"2026-11-28T00:00:00Z\",\"detectedAt\":1700}");
        assertEquals("a1", alert.getAlertId());
        assertEquals(Severity.HIGH, alert.getSeverity());
        assertEquals(Mode.LIVE, alert.getMode());
        assertEquals(PrincipalType.IAMUser, alert.getPrincipal().getType());
        assertEquals("bob", alert.getPrincipal().getUserName());
        assertEquals(List.of("203.0.113.9"), alert.getEntities().getIpAddresses());
        assertEquals(List.of("UnauthorizedAccess:IAMUser/TorIPCaller"), alert.getFindingTypes());
        assertEquals("CORRELATION", alert.getRuleKind().name());
        assertEquals(Instant.parse("2026-11-28T00:00:00Z"), alert.getLastSeen());
        assertEquals(Instant.ofEpochMilli(1700), alert.getDetectedAt());
        assertEquals("iam-user-compromise", alert.getRunbook());
    }

    @Test
    void shouldStillReadTheScansLineFromBeforeIssue14() {
        Alert alert = AlertJson.parse("{\"alertId\":\"a1\",\"ruleId\":\"TH-IAM-003\",\"ruleKind\":\"SIGNATURE\",\"title\":\"t\","
            + "\"severity\":\"INFO\",\"tactic\":\"Persistence\",\"technique\":\"T1098.001\",\"mitre\":{\"tactic\":\"Persistence\"},"
            + "\"accountId\":\"1\",\"region\":\"us-east-1\",\"principal\":\"arn:aws:iam::1:user/bob\",\"principalKey\":\"1/bob\","
            + "\"chain\":[\"arn:aws:iam::1:user/bob\"],\"entities\":{\"accessKeyIds\":[],\"ips\":[\"203.0.113.9\"]},\"eventIds\":[\"e1\"],"
            + "\"findingIds\":[],\"incidentId\":null,\"runbook\":null,\"count\":2,\"firstSeen\":\"2026-11-28T00:00:00Z\","
            + "\"lastSeen\":\"2026-11-28T00:01:00Z\",\"evidence\":null,\"mode\":\"LIVE\"}");
        assertEquals(Severity.INFORMATIONAL, alert.getSeverity());
        assertEquals("Persistence", alert.getMitreTactic());
        assertEquals("T1098.001", alert.getMitreTechniqueId());
        assertEquals(PrincipalType.IAMUser, alert.getPrincipal().getType());
        assertEquals("arn:aws:iam::1:user/bob", alert.getPrincipal().getArn());
        assertEquals("1/bob", alert.getPrincipal().getPrincipalKey());
        assertEquals("arn:aws:iam::1:user/bob", alert.getChain().get(0).getPrincipalArn());
        assertEquals(List.of("203.0.113.9"), alert.getEntities().getIpAddresses());
        assertEquals(2L, alert.getCount());
    }

    @Test
    void shouldTakeTheSchemaDefaultsForMissingFieldsAndReadAMissingOrUnknownModeAsReplay() {
        Alert alert = AlertJson.parse("{\"alertId\":\"a2\",\"principal\":{\"accountId\":\"123\"}}");
        assertEquals(Mode.REPLAY, alert.getMode());
        assertEquals("", alert.getAccountId());
        assertEquals(PrincipalType.Unknown, alert.getPrincipal().getType());
        assertNull(alert.getRunbook());
        assertEquals(Mode.REPLAY, AlertJson.parse("{\"alertId\":\"a3\",\"mode\":\"SOMETIMES\"}").getMode());
    }

    @Test
    void shouldRejectLinesThatAreNoAlertsNamingTheField() {
        assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("not json"));
        assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("[1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("{\"ruleId\":\"x\"}")).getMessage()
            .contains("alertId"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AlertJson.parse("{\"alertId\":\"x\",\"findingTypes\":\"a\"}"))
            .getMessage().startsWith("Alert.findingTypes: expected an array"));
    }
}
