package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.access.AccessSummary;
import io.trailhound.access.SnapshotRecords;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.topic.Topics;

/**
 * The access stage (#15) in the topology: snapshot records in, summaries out after one debounced rebuild; a CloudTrail
 * AttachRolePolicy(AdministratorAccess) makes the role and whoever can assume it administrator-equivalent (TH-ACC-001, signed
 * path, stamped) and a rewritten trust opens a cross-account path (TH-ACC-002); later alerts carry the summary; a bad snapshot
 * record is left out, never a failure; tombstones delete.
 */
class AccessStageTest {

    static final String ACCOUNT = "111122223333";
    static final String OTHER = "444455556666";
    static final String APP = "arn:aws:iam::111122223333:role/app";
    static final String DEV = "arn:aws:iam::111122223333:user/dev";
    static final long EPOCH = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    /** The records of the test snapshot (src/test/resources/access/n: accounts 111122223333 and 444455556666). */
    static Map<String, String> snapshot() throws Exception {
        Map<String, String> records = new TreeMap<>();
        for (String account : List.of(ACCOUNT, OTHER)) {
            Path gaad = Path.of(AccessStageTest.class.getResource("/access/n/" + account + ".gaad.json").toURI());
            records.putAll(SnapshotRecords.of(account, EPOCH, JSON.readTree(gaad.toFile()), null));
        }
        return records;
    }

    /** A CloudTrail record of {@code eventName} by an IAM user of the account, as a trail writes it. */
    static String iamEvent(String id, String time, String account, String eventName, String requestParameters) {
        return "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDAOPS\",\"arn\":\"arn:aws:iam::"
            + account + ":user/ops\",\"accountId\":\"" + account + "\",\"accessKeyId\":\"AKIAOPS0000000000001\",\"userName\":\"ops\"},"
            + "\"eventTime\":\"" + time + "\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"" + eventName + "\","
            + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"203.0.113.10\",\"userAgent\":\"aws-cli/2.15.0\","
            + "\"requestParameters\":" + requestParameters + ",\"responseElements\":null,\"requestID\":\"r-" + id + "\","
            + "\"eventID\":\"" + id + "\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
            + "\"recipientAccountId\":\"" + account + "\",\"eventCategory\":\"Management\"}";
    }

    static String attachAdmin(String id, String time) {
        return iamEvent(id, time, ACCOUNT, "AttachRolePolicy",
            "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}");
    }

    @Test
    void shouldPublishSummariesAndRaiseAccessAlertsAfterIamChanges() throws Exception {
        try (TopologyFixture t = new TopologyFixture(state, Map.of(StreamProcessorConfig.ACCESS_REBUILD_INTERVAL_MS_CONFIG, 100L))) {
            TestInputTopic<String, String> snapshots = t.driver.createInputTopic(Topics.IAM_SNAPSHOTS, new StringSerializer(),
                new StringSerializer());
            TestOutputTopic<String, String> summaries = t.driver.createOutputTopic(Topics.ACCESS_SUMMARIES, new StringDeserializer(),
                new StringDeserializer());
            snapshot().forEach(snapshots::pipeInput);
            snapshots.pipeInput("111122223333|arn:aws:iam::111122223333:user/broken", "{\"format\":\"something else\"}");
            t.driver.advanceWallClockTime(Duration.ofMillis(150));
            Map<String, String> first = summaries.readKeyValuesToMap();
            assertEquals(6, first.size(), "dev, ops, app, build, leaving and cross; not the broken record: " + first.keySet());
            assertFalse(AccessSummary.fromJson(first.get(APP)).adminEquivalent());
            t.driver.advanceWallClockTime(Duration.ofMillis(150));
            assertTrue(summaries.isEmpty(), "nothing changed, nothing rebuilt");

            t.pipe(attachAdmin("evt-attach", "2026-12-06T08:07:00Z"));
            t.pipe(iamEvent("evt-trust", "2026-12-06T08:08:00Z", OTHER, "UpdateAssumeRolePolicy", "{\"roleName\":\"cross\","
                + "\"policyDocument\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\","
                + "\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::111122223333:root\\\"},\\\"Action\\\":\\\"sts:AssumeRole\\\"}]}\"}"));
            t.alerts();
            t.driver.advanceWallClockTime(Duration.ofMillis(150));
            Map<String, String> second = summaries.readKeyValuesToMap();
            AccessSummary app = AccessSummary.fromJson(second.get(APP));
            assertTrue(app.adminEquivalent());
            assertEquals(List.of(OTHER), app.otherAccounts());
            assertTrue(AccessSummary.fromJson(second.get(DEV)).adminEquivalent(), "dev may assume app");

            List<Alert> access = t.alerts.readValuesToList().stream().filter(a -> a.getRuleId().startsWith("TH-ACC-")).toList();
            Alert appAdmin = only(access, AccessAlerts.ADMIN, APP);
            assertEquals(Severity.HIGH, appAdmin.getSeverity());
            assertEquals(List.of("evt-attach", "evt-trust"), appAdmin.getEventIds());
            assertEquals("111122223333/" + APP, appAdmin.getPrincipal().getPrincipalKey());
            assertTrue(appAdmin.getEvidence().contains("AttachRolePolicy by arn:aws:iam::111122223333:user/ops"), appAdmin.getEvidence());
            assertNotNull(appAdmin.getIncidentId(), "stamped like every alert");
            assertTrue(appAdmin.getAccessSummary().getAdminEquivalent());
            Alert devAdmin = only(access, AccessAlerts.ADMIN, DEV);
            assertTrue(devAdmin.getEvidence().contains(DEV + " -> " + APP + " via sts:AssumeRole"), devAdmin.getEvidence());
            Alert cross = only(access, AccessAlerts.CROSS_ACCOUNT, APP);
            assertEquals(Severity.MEDIUM, cross.getSeverity());
            assertTrue(cross.getEvidence().contains(APP + " -> arn:aws:iam::444455556666:role/cross via sts:AssumeRole"),
                cross.getEvidence());
            assertEquals(4, access.size(), "app and dev: administrator and a new account each: " + access);
            // the incident stage gathers them too (through incident-in-access): each is in the incident of its key
            Map<String, Incident> incidents = t.incidents.readKeyValuesToMap();
            for (Alert a : access) {
                Incident incident = incidents.values().stream()
                    .filter(i -> i.getAlerts().stream().anyMatch(r -> r.getAlertId().equals(a.getAlertId())))
                    .findFirst().orElseThrow(() -> new AssertionError(a.getRuleId() + " on " + a.getPrincipal().getArn()
                        + " is in no incident: " + incidents.keySet()));
                assertTrue(incident.getTimeline().stream().anyMatch(e -> a.getAlertId().equals(e.getReferenceId())),
                    "and in its timeline");
            }
            Incident ofApp = incidents.values().stream()
                .filter(i -> i.getAlerts().stream().anyMatch(r -> r.getAlertId().equals(appAdmin.getAlertId()))).findFirst().orElseThrow();
            assertEquals(Severity.HIGH, ofApp.getSeverity(), "the HIGH alert raises its incident");

            // a later alert about dev carries its summary, from the global store
            t.pipe(iamEvent("evt-key", "2026-12-06T09:00:00Z", ACCOUNT, "CreateAccessKey", "{\"userName\":\"ops\"}")
                .replace("user/ops\",\"accountId", "user/dev\",\"accountId").replace("\"userName\":\"ops\"}", "\"userName\":\"dev\"}"));
            Alert key = t.alerts().stream().filter(a -> a.getEventIds().contains("evt-key")).findFirst().orElseThrow();
            assertEquals(DEV, key.getAccessSummary().getPrincipalArn());
            assertTrue(key.getAccessSummary().getAdminEquivalent());
            assertEquals(List.of(APP, "arn:aws:iam::444455556666:role/cross"), key.getAccessSummary().getTopAdminRoles());
            assertEquals(Instant.ofEpochMilli(EPOCH), key.getAccessSummary().getSnapshotEpoch());

            // a tombstone deletes the role: its summary is tombstoned
            snapshots.pipeInput("111122223333|arn:aws:iam::111122223333:role/leaving", (String) null);
            t.driver.advanceWallClockTime(Duration.ofMillis(150));
            List<KeyValue<String, String>> third = summaries.readKeyValuesToList();
            assertTrue(third.contains(KeyValue.pair("arn:aws:iam::111122223333:role/leaving", null)), third.toString());
            assertTrue(t.alerts.isEmpty(), "a snapshot record alone raises no access alert");
        }
    }

    @Test
    void shouldRaiseNothingForAChangeTheSnapshotAlreadyHad() throws Exception {
        try (TopologyFixture t = new TopologyFixture(state, Map.of(StreamProcessorConfig.ACCESS_REBUILD_INTERVAL_MS_CONFIG, 100L))) {
            TestInputTopic<String, String> snapshots = t.driver.createInputTopic(Topics.IAM_SNAPSHOTS, new StringSerializer(),
                new StringSerializer());
            snapshot().forEach(snapshots::pipeInput);
            t.driver.advanceWallClockTime(Duration.ofMillis(150));
            t.pipe(attachAdmin("evt-old", "2026-12-05T23:00:00Z"));
            t.driver.advanceWallClockTime(Duration.ofMillis(150));
            assertTrue(t.alerts.readValuesToList().stream().noneMatch(a -> a.getRuleId().startsWith("TH-ACC-")),
                "an event before the snapshot's epoch is in the snapshot already");
            assertNull(t.driver.getKeyValueStore(AccessStage.RECORDS_STORE).get("~dirty"));
        }
    }

    private static Alert only(List<Alert> alerts, String rule, String principal) {
        List<Alert> found = alerts.stream().filter(a -> a.getRuleId().equals(rule) && a.getPrincipal().getArn().equals(principal)).toList();
        assertEquals(1, found.size(), rule + " " + principal + ": " + alerts);
        return found.get(0);
    }
}
