package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.trailhound.avro.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;

/** The one JSON form of our records (#14): natural JSON out, the same record back, for every field of every top-level schema. */
class AvroJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Class<? extends SpecificRecord>> TOP_LEVEL = List.of(Alert.class, Incident.class, ResponseAction.class,
            CloudTrailEvent.class, GuardDutyFinding.class, ApprovalMessage.class);

    @TestFactory
    List<DynamicTest> shouldRoundTripEveryFieldOfEveryTopLevelRecordWithOptionalFieldsSetAndNull() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : TOP_LEVEL) {
            Schema schema = schemaOf(type);
            tests.add(dynamicTest(type.getSimpleName() + " with nulls", () -> roundTrip(type, schema, SchemaSamples.Fill.NULLS, 0)));
            for (int branch = 0; branch < SchemaSamples.branches(schema); branch++) {
                int b = branch;
                tests.add(dynamicTest(type.getSimpleName() + " set, union branch " + b,
                        () -> roundTrip(type, schema, SchemaSamples.Fill.SET, b)));
            }
        }
        return tests;
    }

    @Test
    void shouldWriteNaturalJson() throws Exception {
        Alert alert = alert();
        JsonNode json = MAPPER.readTree(AvroJson.write(alert));
        assertEquals("HIGH", json.get("severity").asText());
        assertEquals("2026-11-28T00:09:00.250Z", json.get("lastSeen").asText());
        assertTrue(json.get("description").isNull(), "a null union is a JSON null");
        assertEquals("arn:aws:iam::111122223333:user/bob", json.get("principal").get("arn").asText(), "a union's value, unwrapped");
        assertEquals("IAMUser", json.get("principal").get("type").asText());
        assertEquals("arn:aws:iam::111122223333:user/bob", json.get("chain").get(0).get("principalArn").asText());
        assertEquals("eu-west-1", json.get("entities").get("instanceRegions").get("i-0123456789abcdef0").asText());
        assertEquals("CryptoCurrency:EC2/BitcoinTool.B!DNS", json.get("findingTypes").get(0).asText());
        assertEquals(schemaOf(Alert.class).getFields().size(), json.size(), "every field, null or not");
        assertEquals("arn:aws:iam::111122223333:role/app", json.get("accessSummary").get("topAdminRoles").get(0).asText());
        assertEquals("2026-11-28T00:09:00.250Z", json.get("accessSummary").get("snapshotEpoch").asText());

        JsonNode decision = MAPPER.readTree(AvroJson.write(new ApprovalMessage(ApprovalDecision.newBuilder().setRequestId("r1")
                .setDecision(Decision.APPROVED).setDecidedAt(Instant.EPOCH).build())));
        assertEquals("APPROVED", decision.get("body").get("decision").asText());
        assertEquals("1970-01-01T00:00:00Z", decision.get("body").get("decidedAt").asText());
    }

    @Test
    void shouldReadARecordOfAUnionOfRecordsByItsFieldNames() {
        ApprovalMessage decision = AvroJson.read("{\"body\":{\"requestId\":\"r1\",\"decision\":\"APPROVED\",\"approver\":\"ann\"}}",
                ApprovalMessage.class);
        assertEquals(Decision.APPROVED, ((ApprovalDecision) decision.getBody()).getDecision());
        ApprovalMessage request = AvroJson.read("{\"body\":{\"requestId\":\"r2\",\"awsAction\":\"ec2:TerminateInstances\"}}",
                ApprovalMessage.class);
        assertEquals("ec2:TerminateInstances", ((ApprovalRequest) request.getBody()).getAwsAction());
    }

    @Test
    void shouldTakeSchemaDefaultsForMissingFieldsAndIgnoreUnknownOnes() {
        Alert alert = AvroJson.read("{\"alertId\":\"a1\",\"newerField\":{\"x\":1},\"entities\":{\"instanceIds\":[\"i-1\"]},"
                + "\"firstSeen\":1700}", Alert.class);
        assertEquals("a1", alert.getAlertId());
        assertEquals(Mode.REPLAY, alert.getMode(), "a missing mode is REPLAY, never LIVE");
        assertEquals(Severity.MEDIUM, alert.getSeverity());
        assertEquals(1L, alert.getCount());
        assertEquals(List.of("i-1"), alert.getEntities().getInstanceIds());
        assertEquals(List.of(), alert.getEntities().getIpAddresses());
        assertEquals(Instant.ofEpochMilli(1700), alert.getFirstSeen(), "epoch milliseconds are a time too");
        assertEquals(Instant.EPOCH, alert.getLastSeen());
        assertEquals(null, alert.getPrincipal());
    }

    @Test
    void shouldReadASymbolTheSchemaDoesNotKnowAsTheEnumsDefault() {
        Alert alert = AvroJson.read("{\"alertId\":\"a1\",\"mode\":\"SOMETIMES\",\"severity\":\"APOCALYPTIC\"}", Alert.class);
        assertEquals(Mode.REPLAY, alert.getMode());
        assertEquals(Severity.MEDIUM, alert.getSeverity());
    }

    @Test
    void shouldNameTheFieldOfAValueOfTheWrongType() {
        assertEquals("Alert.entities.instanceIds[1]: expected a string, was 12", assertThrows(IllegalArgumentException.class,
                () -> AvroJson.read("{\"alertId\":\"a\",\"entities\":{\"instanceIds\":[\"i-1\",12]}}", Alert.class)).getMessage());
        assertTrue(message("{\"alertId\":\"a\",\"principal\":\"arn:aws:iam::1:user/bob\"}").startsWith("Alert.principal: expected"));
        assertTrue(message("{\"alertId\":\"a\",\"count\":1.5}").startsWith("Alert.count: expected a whole number"));
        assertTrue(message("{\"alertId\":\"a\",\"lastSeen\":\"yesterday\"}").startsWith("Alert.lastSeen: expected an ISO-8601"));
        assertTrue(message("{\"alertId\":\"a\",\"ruleId\":null}").startsWith("Alert.ruleId: expected a string, was null"));
        assertEquals("Alert.alertId: missing, and the schema gives it no default", message("{\"ruleId\":\"x\"}"));
        assertTrue(message("[1]").startsWith("expected a JSON object for Alert"));
        assertTrue(message("not json").startsWith("not JSON"));
    }

    @Test
    void shouldKeepEveryFieldOfARealisticAlert() {
        Alert alert = alert();
        Alert back = AvroJson.read(AvroJson.write(alert), Alert.class);
        assertEquals(alert, back);
        assertNotEquals(alert, AvroJson.read(AvroJson.write(alert).replace("\"HIGH\"", "\"LOW\""), Alert.class));
    }

    private static void roundTrip(Class<? extends SpecificRecord> type, Schema schema, SchemaSamples.Fill fill, int branch) {
        SpecificRecord original = SchemaSamples.sample(type, schema, fill, branch);
        String line = AvroJson.write(original);
        assertFalse(line.contains("\n"), "one line: " + line);
        SpecificRecord back = AvroJson.read(line, type);
        assertEquals(original.toString(), back.toString(), line);
        // Avro's equals cannot compare the arrays its readers make when they hold nullable timestamps; its binary can
        assertArrayEquals(SchemaSamples.binary(original), SchemaSamples.binary(back), line);
        assertEquals(line, AvroJson.write(back));
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> AvroJson.read(json, Alert.class)).getMessage();
    }

    private static Schema schemaOf(Class<? extends SpecificRecord> type) {
        try {
            return type.getDeclaredConstructor().newInstance().getSchema();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Alert alert() {
        TrustedAvroClasses.install();
        Instant seen = Instant.parse("2026-11-28T00:09:00.250Z");
        return Alert.newBuilder().setAlertId("a1").setRuleId("TH-GD-001").setSeverity(Severity.HIGH).setMode(Mode.LIVE)
                .setPrincipal(Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey("111122223333/bob")
                        .setArn("arn:aws:iam::111122223333:user/bob").build())
                .setChain(List.of(ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::111122223333:user/bob").build()))
                .setFindingTypes(List.of("CryptoCurrency:EC2/BitcoinTool.B!DNS"))
                .setEntities(Entities.newBuilder().setInstanceIds(List.of("i-0123456789abcdef0"))
                        .setInstanceRegions(Map.of("i-0123456789abcdef0", "eu-west-1")).build())
                .setAccessSummary(AccessSummary.newBuilder().setPrincipalArn("arn:aws:iam::111122223333:user/bob")
                        .setAdminEquivalent(true).setAdminConfidence("DEFINITE").setReachableAccountCount(1)
                        .setReachableAccounts(List.of("111122223333", "444455556666")).setRiskScore(60)
                        .setTopAdminRoles(List.of("arn:aws:iam::111122223333:role/app")).setSnapshotEpoch(seen).build())
                .setFirstSeen(seen).setLastSeen(seen).setDetectedAt(seen).build();
    }
}
