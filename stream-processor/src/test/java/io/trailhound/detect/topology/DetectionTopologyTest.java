package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Mode;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;

/** The topology end to end in {@code TopologyTestDriver}: re-keying, dedup, dead-letter, suppression, rule switches, findings. */
class DetectionTopologyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant APPENDED = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void shouldRekeyEventsByDurablePrincipalAndUseEventTime() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(resource("normalize/assumed-role.json"));
            TestRecord<String, CloudTrailEvent> out = t.events.readRecord();
            assertEquals("123456789012/arn:aws:iam::123456789012:role/example-role", out.key());
            assertEquals(out.value().getEventTime(), out.getRecordTime());
        }
    }

    @Test
    void shouldDropADuplicateEventIdWithinTheWindow() throws IOException {
        String stop = stopLogging("evt-1", "2024-05-01T10:00:00Z");
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(stop);
            t.pipe(stop, Instant.parse("2024-05-01T10:11:00Z"));
            assertEquals(1, t.events.readValuesToList().size());
            List<Alert> alerts = t.alerts();
            assertEquals(1, alerts.size());
            assertEquals(1L, alerts.get(0).getCount());
        }
    }

    @Test
    void shouldForgetSeenEventIdsOnceEventTimePassesTheWindow() throws IOException {
        String first = stopLogging("evt-old", "2024-05-01T10:00:00Z");
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(first);
            t.pipe(stopLogging("evt-new", "2024-05-03T10:00:00Z"));
            // the purge after it (every 6 h of stream time) judges ages on the events seen: evt-new's time is two days later
            t.pipe(stopLogging("evt-later", "2024-05-03T17:00:00Z"));
            t.pipe(first);
            assertEquals(List.of("evt-old", "evt-new", "evt-later", "evt-old"),
                    t.events.readValuesToList().stream().map(CloudTrailEvent::getEventId).toList());
        }
    }

    @Test
    void shouldSendBadInputToTheDeadLetterTopicWithTheReasonAndKeepRunning() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe("{not json");
            t.pipe(resource("normalize/missing-time.json"));
            t.pipe(stopLogging("evt-2", "2024-05-01T10:00:00Z"));
            List<TestRecord<byte[], byte[]>> dead = t.deadLetter.readRecordsToList();
            assertEquals(2, dead.size());
            assertEquals("{not json", new String(dead.get(0).value(), StandardCharsets.UTF_8));
            assertTrue(reason(dead.get(0)).startsWith("malformed JSON"), reason(dead.get(0)));
            assertEquals("missing eventTime", reason(dead.get(1)));
            assertEquals(1, t.alerts().size());
        }
    }

    @Test
    void shouldFoldRepeatsOfARuleOnOnePrincipalAndEntityIntoOneAlertWithACount() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(stopLogging("evt-a", "2024-05-01T10:00:00Z"));
            t.pipe(stopLogging("evt-b", "2024-05-01T10:20:00Z"));
            t.pipe(stopLogging("evt-c", "2024-05-01T13:00:00Z"));
            List<Alert> alerts = t.alerts();
            assertEquals(3, alerts.size());
            assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
            assertEquals(2L, alerts.get(1).getCount());
            assertEquals(List.of("evt-a", "evt-b"), alerts.get(1).getEventIds());
            assertFalse(alerts.get(2).getAlertId().equals(alerts.get(0).getAlertId()), "outside the window is a new alert");
            assertEquals(1L, alerts.get(2).getCount());
        }
    }

    /**
     * #17, processor-kill: the raw records' timestamps are append times, and the detect processor shares its task with the raw
     * topics, so the task's stream time is the append time. A trail delivered two hours late (or a restart, after which the task
     * punctuates at its first record) purged at that time: the repeat became a new alert instead of the first's count 2.
     */
    @Test
    void shouldKeepCountingARepeatWhenAPurgeRunsAtAnAppendTimeFarAheadOfEventTime() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(stopLogging("evt-a", "2024-05-01T10:00:00Z"), Instant.parse("2024-05-01T12:00:00Z"));
            // appended past 12:15: the purge punctuation (every 15 min of stream time) runs between the two
            t.pipe(stopLogging("evt-b", "2024-05-01T10:20:00Z"), Instant.parse("2024-05-01T12:20:00Z"));
            List<Alert> alerts = t.alerts();
            assertEquals(2, alerts.size());
            assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId(), "a repeat within the window is the same alert");
            assertEquals(2L, alerts.get(1).getCount());
            // beyond the window in event time it is a new alert, which the next repeat counts on
            t.pipe(stopLogging("evt-c", "2024-05-01T11:40:00Z"), Instant.parse("2024-05-01T12:40:00Z"));
            t.pipe(stopLogging("evt-d", "2024-05-01T11:50:00Z"), Instant.parse("2024-05-01T12:50:00Z"));
            List<Alert> later = t.alerts();
            assertEquals(2, later.size());
            assertFalse(later.get(0).getAlertId().equals(alerts.get(0).getAlertId()), "outside the window is a new alert");
            assertEquals(2L, later.get(1).getCount());
        }
    }

    /** The same for a rate rule: a burst whose records arrive across a purge at an append time far ahead still counts whole. */
    @Test
    void shouldReachARateBurstWhenAPurgeRunsAtAnAppendTimeFarAheadOfEventTime() throws IOException {
        Instant start = Instant.parse("2024-05-01T10:00:00Z");
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            for (int i = 0; i < 20; i++) {
                // delivered three hours late, one a minute: the append times pass 13:15 mid-burst
                t.pipe(secret("s-" + i, start.plusSeconds(60L * i)), start.plus(Duration.ofHours(3)).plusSeconds(60L * i));
            }
            Alert burst = t.alerts().stream().filter(a -> a.getRuleId().equals("TH-SEC-002")).findFirst().orElseThrow();
            assertEquals(20, burst.getEventIds().size());
            assertEquals(start, burst.getFirstSeen());
        }
    }

    /**
     * #17 bounded state: what keeps the suppression, rate and minted-keys stores bounded. Suppressions and rate counters go at the
     * first purge (every 15 min of the detect processor's event clock, at the end of the event that passes a mark) once an event
     * past their window (1 h; a rate rule's own window) has been taken, a minted key's chain at the first expiry pass (every 6 h
     * of the lineage processor's event clock, aligned to the epoch) after 36 h.
     */
    @Test
    void shouldPurgeSuppressionsRateCountersAndMintedChainsOnceTheirWindowsHavePassed() throws IOException {
        String principal = "example-role";
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(stopLogging("w-1", "2024-05-01T10:00:00Z"));
            t.pipe(secret("w-2", Instant.parse("2024-05-01T10:00:00Z")));
            t.pipe(assumeRole("w-3", "2024-05-01T10:00:00Z", assumedRole("123456789012", principal, "ASIAW0"),
                    "arn:aws:iam::123456789012:role/Next", "ASIAW3"));
            assertTrue(keys(t, DetectProcessor.SUPPRESSION_STORE).stream().anyMatch(k -> k.contains(principal)));
            assertTrue(keys(t, DetectProcessor.RATE_STORE).stream().anyMatch(k -> k.contains(principal)));
            assertTrue(keys(t, LineageProcessor.MINTED_STORE).contains("ASIAW3"));

            // another principal 50 min later in event time: a purge runs at the end of its event (the detect processor's clock
            // passed a 15-min mark), within the suppression window
            t.pipe(laterUser("w-4", "2024-05-01T10:50:00Z"));
            assertTrue(keys(t, DetectProcessor.SUPPRESSION_STORE).stream().anyMatch(k -> k.contains(principal)));
            // 1 h 16 min after them: the purge at the end of this event drops the first principal's suppression and rate counter
            t.pipe(laterUser("w-5", "2024-05-01T11:16:00Z"));
            assertTrue(keys(t, DetectProcessor.SUPPRESSION_STORE).stream().noneMatch(k -> k.contains(principal)));
            assertTrue(keys(t, DetectProcessor.RATE_STORE).stream().noneMatch(k -> k.contains(principal)));
            assertTrue(keys(t, LineageProcessor.MINTED_STORE).contains("ASIAW3"), "a chain lives 36 h");

            t.pipe(laterUser("w-6", "2024-05-02T21:00:00Z"));
            assertTrue(keys(t, LineageProcessor.MINTED_STORE).contains("ASIAW3"), "35 h: a pass ran, not expired");
            t.pipe(laterUser("w-7", "2024-05-02T23:30:00Z"));
            assertTrue(keys(t, LineageProcessor.MINTED_STORE).contains("ASIAW3"), "37.5 h: expired, no pass before midnight");
            t.pipe(laterUser("w-8", "2024-05-03T00:30:00Z"));
            assertFalse(keys(t, LineageProcessor.MINTED_STORE).contains("ASIAW3"), "38.5 h: gone at the pass");
        }
    }

    private static List<String> keys(TopologyFixture t, String store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Object> it = t.driver.<String, Object>getKeyValueStore(store).all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    private static String laterUser(String id, String time) throws IOException {
        ObjectNode stop = (ObjectNode) MAPPER.readTree(stopLogging(id, time));
        stop.set("userIdentity", iamUser("later", "AKIALATER"));
        return MAPPER.writeValueAsString(stop);
    }

    @Test
    void shouldCarryEverythingAnAnalystNeeds() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(stopLogging("evt-3", "2024-05-01T10:00:00Z"));
            Alert a = t.alerts().get(0);
            assertEquals("TH-CT-001", a.getRuleId());
            assertEquals(RuleKind.SIGNATURE, a.getRuleKind());
            assertEquals(Severity.HIGH, a.getSeverity());
            assertEquals("T1562.008", a.getMitreTechniqueId());
            assertEquals("Defense Evasion (TA0005)", a.getMitreTactic());
            assertEquals("cloudtrail-tampering", a.getRunbook());
            assertEquals("123456789012", a.getAccountId());
            assertEquals("us-west-2", a.getRegion());
            assertEquals(List.of("evt-3"), a.getEventIds());
            assertEquals("arn:aws:iam::123456789012:role/example-role", a.getChain().get(0).getPrincipalArn());
            assertTrue(a.getEntities().getRoleArns().contains("arn:aws:iam::123456789012:role/example-role"));
            assertTrue(a.getEvidence().contains("StopLogging"), a.getEvidence());
            assertEquals(Instant.parse("2024-05-01T10:00:00Z"), a.getDetectedAt());
            assertEquals(Mode.LIVE, a.getMode());
        }
    }

    @Test
    void shouldEvaluateShadowRulesWithoutEmittingAndSkipDisabledRules() throws IOException {
        Map<String, Object> settings = Map.of(StreamProcessorConfig.RULES_SHADOW_CONFIG, "TH-CT-001",
                StreamProcessorConfig.RULES_DISABLED_CONFIG, "TH-CT-003");
        try (TopologyFixture t = new TopologyFixture(stateDir, settings)) {
            t.pipe(stopLogging("evt-4", "2024-05-01T10:00:00Z"));
            assertTrue(t.alerts().isEmpty());
            assertEquals(1, t.events.readValuesToList().size());
        }
    }

    @Test
    void shouldRaiseAGuardDutyFindingOnceAndUpdateItWhenItsCountRises() throws IOException {
        ObjectNode finding = (ObjectNode) MAPPER.readTree(resource("normalize/guardduty-finding.json"));
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            ((ObjectNode) finding.path("service")).put("count", 5);
            finding.put("updatedAt", "2020-02-14T19:00:00.000Z");
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            List<Alert> alerts = t.alerts();
            assertEquals(2, alerts.size(), "the unchanged repeat raises nothing");
            assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
            assertEquals(5L, alerts.get(1).getCount());
            assertEquals(List.of("eeb88ab56556eb7771b266670dddee5a"), alerts.get(0).getFindingIds());
            assertEquals(Severity.HIGH, alerts.get(0).getSeverity());
        }
    }

    @Test
    void shouldRaiseARateRuleOnlyWhenTheBurstIsReached() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            for (int i = 0; i < 19; i++) {
                t.pipe(secret("s-" + i, Instant.parse("2024-05-01T10:00:00Z").plusSeconds(60L * i)));
            }
            assertTrue(t.alerts().stream().noneMatch(a -> a.getRuleId().equals("TH-SEC-002")));
            t.pipe(secret("s-19", Instant.parse("2024-05-01T10:19:00Z")));
            Alert burst = t.alerts().stream().filter(a -> a.getRuleId().equals("TH-SEC-002")).findFirst().orElseThrow();
            assertEquals(RuleKind.RATE, burst.getRuleKind());
            assertEquals(20, burst.getEventIds().size());
            assertEquals("s-0", burst.getEventIds().get(0));
            assertEquals(Instant.parse("2024-05-01T10:00:00Z"), burst.getFirstSeen());
        }
    }

    @Test
    void shouldAttributeActivityWithMintedKeysToTheWholeChain() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(assumeRole("mint-1", "2024-05-01T09:00:00Z", iamUser("alice", "AKIAALICE"), "arn:aws:iam::222222222222:role/Ops",
                    "ASIAOPS"));
            t.pipe(assumeRole("mint-2", "2024-05-01T09:10:00Z", assumedRole("222222222222", "Ops", "ASIAOPS"),
                    "arn:aws:iam::333333333333:role/Admin", "ASIAADMIN"));
            ObjectNode stop = (ObjectNode) MAPPER.readTree(stopLogging("chained-stop", "2024-05-01T09:20:00Z"));
            stop.set("userIdentity", assumedRole("333333333333", "Admin", "ASIAADMIN"));
            stop.put("recipientAccountId", "333333333333");
            t.pipe(MAPPER.writeValueAsString(stop));
            Alert alert = t.alerts().stream().filter(a -> a.getRuleId().equals("TH-CT-001")).findFirst().orElseThrow();
            assertEquals(List.of("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::222222222222:role/Ops",
                    "arn:aws:iam::333333333333:role/Admin"), alert.getChain().stream().map(l -> l.getPrincipalArn()).toList());
            assertEquals("mint-2", alert.getChain().get(2).getMintedByEventId());
            assertEquals("ASIAADMIN", alert.getChain().get(2).getAccessKeyId());
        }
    }

    @Test
    void shouldForgetChainsOfExpiredCredentials() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(assumeRole("mint-3", "2024-05-01T09:00:00Z", iamUser("bob", "AKIABOB"), "arn:aws:iam::222222222222:role/Ops",
                    "ASIAOLD"));
            ObjectNode stop = (ObjectNode) MAPPER.readTree(stopLogging("late-stop", "2024-05-03T09:00:00Z"));
            stop.set("userIdentity", assumedRole("222222222222", "Ops", "ASIAOLD"));
            t.pipe(MAPPER.writeValueAsString(stop));
            Alert alert = t.alerts().stream().filter(a -> a.getRuleId().equals("TH-CT-001")).findFirst().orElseThrow();
            assertEquals(List.of("arn:aws:iam::222222222222:role/Ops"),
                    alert.getChain().stream().map(l -> l.getPrincipalArn()).toList());
        }
    }

    @Test
    void shouldStaySilentWhileLearningAndFlagNewValuesAfterwards() throws IOException {
        ObjectNode carol = iamUser("carol", "AKIACAROL");
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(assumeRole("bl-1", "2024-05-01T09:00:00Z", carol, "arn:aws:iam::111111111111:role/Dev", "ASIA1"));
            t.pipe(assumeRole("bl-2", "2024-05-03T09:00:00Z", carol, "arn:aws:iam::222222222222:role/Ops", "ASIA2"));
            assertTrue(t.alerts().stream().noneMatch(a -> a.getRuleKind() == RuleKind.BASELINE), "no baseline alert while learning");
            t.pipe(assumeRole("bl-3", "2024-05-09T09:00:00Z", carol, "arn:aws:iam::222222222222:role/Ops", "ASIA3"));
            assertTrue(t.alerts().stream().noneMatch(a -> a.getRuleKind() == RuleKind.BASELINE), "a known role is no news");
            t.pipe(assumeRole("bl-4", "2024-05-09T10:00:00Z", carol, "arn:aws:iam::333333333333:role/Admin", "ASIA4"));
            List<Alert> alerts = t.alerts();
            Alert role = alerts.stream().filter(a -> a.getRuleId().equals("TH-BL-004")).findFirst().orElseThrow();
            assertTrue(role.getBaselineContext().contains("arn:aws:iam::333333333333:role/Admin"), role.getBaselineContext());
            assertTrue(role.getBaselineContext().contains("8 days of history"), role.getBaselineContext());
            assertTrue(alerts.stream().anyMatch(a -> a.getRuleId().equals("TH-BL-005")), "first hop into 333333333333");
        }
    }

    @Test
    void shouldHonourAZeroLearningPeriodAndNeverBaselineAwsServices() throws IOException {
        Map<String, Object> settings = Map.of(StreamProcessorConfig.LEARNING_PERIOD_MS_CONFIG, "0");
        try (TopologyFixture t = new TopologyFixture(stateDir, settings)) {
            t.pipe(assumeRole("z-1", "2024-05-01T09:00:00Z", iamUser("dave", "AKIADAVE"), "arn:aws:iam::111111111111:role/Dev", "ASIA5"));
            t.pipe(assumeRole("z-2", "2024-05-01T09:05:00Z", iamUser("dave", "AKIADAVE"), "arn:aws:iam::111111111111:role/Ops", "ASIA6"));
            assertTrue(t.alerts().stream().anyMatch(a -> a.getRuleId().equals("TH-BL-004")));
            ObjectNode service = MAPPER.createObjectNode().put("type", "AWSService").put("invokedBy", "ec2.amazonaws.com");
            t.pipe(assumeRole("z-3", "2024-05-01T09:10:00Z", service, "arn:aws:iam::111111111111:role/Web", "ASIA7"));
            t.pipe(assumeRole("z-4", "2024-05-01T09:15:00Z", service, "arn:aws:iam::111111111111:role/Db", "ASIA8"));
            assertTrue(t.alerts().stream().noneMatch(a -> a.getRuleKind() == RuleKind.BASELINE));
        }
    }

    private static ObjectNode iamUser(String name, String keyId) {
        ObjectNode id = MAPPER.createObjectNode();
        id.put("type", "IAMUser").put("accountId", "111111111111").put("arn", "arn:aws:iam::111111111111:user/" + name)
                .put("userName", name).put("accessKeyId", keyId).put("principalId", "AIDA" + name.toUpperCase());
        return id;
    }

    private static ObjectNode assumedRole(String account, String role, String keyId) {
        ObjectNode id = MAPPER.createObjectNode();
        id.put("type", "AssumedRole").put("accountId", account).put("accessKeyId", keyId)
                .put("arn", "arn:aws:sts::" + account + ":assumed-role/" + role + "/session");
        id.putObject("sessionContext").putObject("sessionIssuer").put("type", "Role")
                .put("arn", "arn:aws:iam::" + account + ":role/" + role);
        return id;
    }

    private static String assumeRole(String id, String time, ObjectNode caller, String roleArn, String newKey) throws IOException {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("eventID", id).put("eventTime", time).put("eventSource", "sts.amazonaws.com").put("eventName", "AssumeRole")
                .put("awsRegion", "us-east-1").put("recipientAccountId", caller.path("accountId").asText())
                .put("sourceIPAddress", "198.51.100.7").put("userAgent", "aws-cli/2.15.0");
        e.set("userIdentity", caller);
        e.putObject("requestParameters").put("roleArn", roleArn).put("roleSessionName", "session");
        ObjectNode credentials = e.putObject("responseElements").putObject("credentials");
        credentials.put("accessKeyId", newKey).put("sessionToken", "secret-token").put("expiration", "May 1, 2024, 10:00:00 AM");
        return MAPPER.writeValueAsString(e);
    }

    private static String secret(String id, Instant time) throws IOException {
        ObjectNode e = (ObjectNode) MAPPER.readTree(resource("normalize/assumed-role.json"));
        e.put("eventID", id).put("eventTime", time.toString()).put("eventSource", "secretsmanager.amazonaws.com")
                .put("eventName", "GetSecretValue").putObject("requestParameters").put("secretId", "prod/" + id);
        e.remove("errorCode");
        return MAPPER.writeValueAsString(e);
    }

    private static String stopLogging(String id, String time) throws IOException {
        ObjectNode e = (ObjectNode) MAPPER.readTree(resource("normalize/assumed-role.json"));
        e.put("eventID", id).put("eventTime", time).put("eventSource", "cloudtrail.amazonaws.com").put("eventName", "StopLogging")
                .put("awsRegion", "us-west-2").put("recipientAccountId", "123456789012")
                .putObject("requestParameters").put("name", "arn:aws:cloudtrail:us-west-2:123456789012:trail/main");
        e.remove("errorCode");
        e.remove("responseElements");
        return MAPPER.writeValueAsString(e);
    }

    private static String reason(TestRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(NormalizeProcessor.REASON_HEADER);
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String resource(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources", name));
    }
}
