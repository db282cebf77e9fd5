package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;

/**
 * TH-CON-011 (#18 item 3): an MFA device removed and not replaced within the follow-up window is an alert of the principal
 * that removed it, raised once the window has passed in event time; a replacement in time, by the user or by whoever removed
 * the device, raises nothing.
 */
class MfaReplacementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ACCOUNT = "123456789012";
    private static final String RULE = "TH-CON-011";

    @TempDir
    Path stateDir;

    @Test
    void shouldRaiseARemovalNotReplacedOnceTheWindowHasPassed() {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "admin", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("read-1", "2025-03-15T10:09:00Z", "admin", "ListUsers", null, null));
            assertTrue(mine(t.alerts()).isEmpty(), "nothing before the window has passed");
            t.pipe(call("read-2", "2025-03-15T10:12:00Z", "admin", "ListUsers", null, null));
            List<Alert> alerts = mine(t.alerts());
            assertEquals(1, alerts.size(), "one alert once the window has passed: " + alerts);
            Alert a = alerts.get(0);
            assertEquals(Severity.MEDIUM, a.getSeverity());
            assertEquals(List.of("rm-1"), a.getEventIds());
            assertEquals("arn:aws:iam::" + ACCOUNT + ":user/admin", a.getPrincipal().getArn(), "the remover's alert");
            assertNotNull(a.getIncidentId(), "it joins an incident like any alert");
            assertEquals(Instant.parse("2025-03-15T10:10:00Z"), a.getDetectedAt(), "detected when the window ended");
        }
    }

    @Test
    void shouldStayQuietWhenTheUserEnablesANewDeviceInTime() {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            // removed by an administrator, replaced by the user herself: two principals, two partitions live
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "admin", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("rm-2", "2025-03-15T10:00:30Z", "admin", "DeleteVirtualMFADevice", null, "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("new-1", "2025-03-15T10:04:00Z", "alice", "CreateVirtualMFADevice", null, null));
            t.pipe(call("new-2", "2025-03-15T10:05:00Z", "alice", "EnableMFADevice", "alice",
                    "arn:aws:iam::" + ACCOUNT + ":mfa/alice-phone"));
            t.pipe(call("read-1", "2025-03-15T11:00:00Z", "admin", "ListUsers", null, null));
            assertTrue(mine(t.alerts()).isEmpty());
            assertEquals(0, held(t).approximateNumEntries(), "nothing left held");
        }
    }

    @Test
    void shouldRaiseWhenTheNewDeviceComesAfterTheWindow() {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "alice", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("new-2", "2025-03-15T10:25:00Z", "alice", "EnableMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/x"));
            assertEquals(1, mine(t.alerts()).size());
        }
    }

    @Test
    void shouldRaiseOneAlertForADeviceDeactivatedThenDeleted() {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "alice", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("rm-2", "2025-03-15T10:01:00Z", "alice", "DeleteVirtualMFADevice", null, "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("read-1", "2025-03-15T10:30:00Z", "bob", "ListUsers", null, null));
            List<Alert> alerts = mine(t.alerts());
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(List.of("rm-1", "rm-2"), alerts.get(0).getEventIds());
        }
    }

    @Test
    void shouldHoldARemovalWhoseWindowIsStillOpenWhenTheInputEnds() {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "alice", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("read-1", "2025-03-15T10:05:00Z", "alice", "ListUsers", null, null));
            assertTrue(mine(t.alerts()).isEmpty());
            assertEquals(1, held(t).approximateNumEntries(), "still waiting, as a live processor would be");
        }
    }

    @Test
    void shouldRaiseTheOldestHeldRemovalAtOnceWhenTheCapIsReached() {
        try (TopologyFixture t = new TopologyFixture(stateDir, Map.of(StreamProcessorConfig.FOLLOWUP_MAX_HELD_CONFIG, 1))) {
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "admin", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("rm-2", "2025-03-15T10:01:00Z", "admin", "DeactivateMFADevice", "bob", "arn:aws:iam::" + ACCOUNT + ":mfa/bob"));
            List<Alert> alerts = mine(t.alerts());
            assertEquals(1, alerts.size());
            assertEquals(List.of("rm-1"), alerts.get(0).getEventIds());
            assertEquals(1, held(t).approximateNumEntries());
        }
    }

    @Test
    void shouldUseTheConfiguredWindow() {
        try (TopologyFixture t = new TopologyFixture(stateDir, Map.of(StreamProcessorConfig.FOLLOWUP_WINDOW_MS_CONFIG, 120_000L))) {
            t.pipe(call("rm-1", "2025-03-15T10:00:00Z", "alice", "DeactivateMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/alice"));
            t.pipe(call("new-2", "2025-03-15T10:05:00Z", "alice", "EnableMFADevice", "alice", "arn:aws:iam::" + ACCOUNT + ":mfa/x"));
            assertEquals(1, mine(t.alerts()).size(), "five minutes is too late with a two-minute window");
        }
    }

    @Test
    void shouldWaitForTheFollowUpInEventTimeWhateverTheDeliveryDelay() {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            // a trail file delivered 20 minutes after its events (twice the window), the next ones a minute apart
            Instant delivered = Instant.parse("2025-03-15T10:20:00Z");
            t.pipeKeyed(call("rm-1", "2025-03-15T10:00:00Z", "admin", "DeactivateMFADevice", "alice",
                "arn:aws:iam::" + ACCOUNT + ":mfa/alice"), delivered);
            t.pipeKeyed(call("read-1", "2025-03-15T10:01:00Z", "admin", "ListUsers", null, null), delivered.plusSeconds(60));
            t.pipeKeyed(call("read-2", "2025-03-15T10:02:00Z", "alice", "ListUsers", null, null), delivered.plusSeconds(120));
            t.pipeKeyed(call("new-2", "2025-03-15T10:04:00Z", "alice", "EnableMFADevice", "alice",
                "arn:aws:iam::" + ACCOUNT + ":mfa/new"), delivered.plusSeconds(180));
            t.pipeKeyed(call("read-3", "2025-03-15T10:30:00Z", "admin", "ListUsers", null, null), delivered.plusSeconds(1800));
            assertEquals(List.of(), mine(t.alerts()), "replaced four minutes after the removal, in event time: nothing to raise");
            assertFalse(held(t).all().hasNext(), "and nothing left waiting");
        }
    }

    private static KeyValueStore<String, Alert> held(TopologyFixture t) {
        return t.driver.getKeyValueStore(FollowUpProcessor.STORE);
    }

    private static List<Alert> mine(List<Alert> alerts) {
        return alerts.stream().filter(a -> RULE.equals(a.getRuleId())).toList();
    }

    /** An IAM call by user {@code actor} with MFA, from the office, with the given user and serial number parameters. */
    private static String call(String id, String time, String actor, String name, String userName, String serial) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("eventVersion", "1.09").put("eventID", id).put("eventTime", time).put("eventSource", "iam.amazonaws.com")
                .put("eventName", name).put("awsRegion", "us-east-1").put("sourceIPAddress", "198.51.100.7")
                .put("userAgent", "aws-cli/2.15.30").put("eventType", "AwsApiCall").put("recipientAccountId", ACCOUNT);
        ObjectNode identity = e.putObject("userIdentity");
        identity.put("type", "IAMUser").put("principalId", "AIDA" + actor.toUpperCase()).put("accountId", ACCOUNT)
                .put("arn", "arn:aws:iam::" + ACCOUNT + ":user/" + actor).put("userName", actor).put("accessKeyId", "AKIA" + actor);
        identity.putObject("sessionContext").putObject("attributes").put("mfaAuthenticated", "true")
                .put("creationDate", time);
        ObjectNode request = e.putObject("requestParameters");
        if (userName != null) {
            request.put("userName", userName);
        }
        if (serial != null) {
            request.put("serialNumber", serial);
        }
        return e.toString();
    }
}
