package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.avro.TimelineEntryKind;

/** Incidents in {@code TopologyTestDriver}: principal chains, GuardDuty correlation and escalation, finding updates, the gap. */
class IncidentTopologyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant APPENDED = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void shouldGroupAChainAcrossAccountsIntoOneIncidentRootedAtTheUser() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(assumeRole("m-1", "2024-05-01T09:00:00Z", iamUser("alice", "AKIAALICE"), "arn:aws:iam::222222222222:role/Ops",
                    "ASIAOPS"));
            t.pipe(event("s-1", "2024-05-01T09:05:00Z", iamUser("alice", "AKIAALICE"), "cloudtrail.amazonaws.com", "StopLogging"));
            t.pipe(event("s-2", "2024-05-01T09:20:00Z", assumedRole("222222222222", "Ops", "ASIAOPS"), "cloudtrail.amazonaws.com",
                    "DeleteTrail"));
            List<Alert> alerts = t.alerts();
            Set<String> ids = alerts.stream().map(Alert::getIncidentId).collect(Collectors.toSet());
            assertEquals(1, ids.size(), alerts.toString());
            Incident incident = last(t).get(ids.iterator().next());
            assertEquals("arn:aws:iam::111111111111:user/alice", incident.getChain().get(0).getPrincipalArn());
            assertEquals(List.of("111111111111", "222222222222"), incident.getAccountIds());
            assertEquals(alerts.stream().map(Alert::getAlertId).distinct().count(), incident.getAlerts().size());
        }
    }

    @Test
    void shouldCorrelateAFindingWithCloudTrailAlertsOnTheSameKeyAndEscalate() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(event("s-1", "2024-05-01T10:00:00Z", iamUser("bob", "AKIABOB"), "cloudtrail.amazonaws.com", "StopLogging"));
            Alert stop = t.alerts().get(0);
            assertEquals(Severity.HIGH, stop.getSeverity());
            ObjectNode finding = finding("f-1", "2024-05-01T10:30:00.000Z", 1);
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            Alert found = t.alerts().get(0);
            assertEquals(stop.getIncidentId(), found.getIncidentId(), "the finding joins the CloudTrail incident");
            assertEquals("111111111111/arn:aws:iam::111111111111:user/bob", found.getPrincipal().getPrincipalKey());
            assertEquals(List.of("UnauthorizedAccess:IAMUser/MaliciousIPCaller"), found.getFindingTypes());
            Incident incident = last(t).get(stop.getIncidentId());
            assertEquals(Severity.CRITICAL, incident.getSeverity(), "finding + CloudTrail: HIGH escalated");
            assertEquals(List.of("f-1"), incident.getFindingIds());

            ((ObjectNode) finding.path("service")).put("count", 4);
            finding.put("updatedAt", "2024-05-01T10:45:00.000Z");
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            List<Alert> repeat = t.alerts();
            assertEquals(1, repeat.size());
            assertEquals(found.getAlertId(), repeat.get(0).getAlertId(), "an update, not a new alert");
            assertEquals(4L, repeat.get(0).getCount());
            incident = last(t).get(stop.getIncidentId());
            assertEquals(2, incident.getAlerts().size());
            assertEquals(1, incident.getTimeline().stream().filter(e -> e.getKind() == TimelineEntryKind.FINDING).count());
            assertTrue(incident.getTimeline().stream().anyMatch(e -> e.getSummary().contains("(x4)")), incident.getTimeline().toString());
        }
    }

    @Test
    void shouldCorrelateAnInstanceFindingWithAlertsOfTheInstanceCredentials() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            ObjectNode identity = assumedRole("111111111111", "WebRole", "ASIAWEB");
            identity.put("arn", "arn:aws:sts::111111111111:assumed-role/WebRole/i-0abc123def4567890");
            t.pipe(event("s-1", "2024-05-01T10:00:00Z", identity, "cloudtrail.amazonaws.com", "StopLogging"));
            Alert stop = t.alerts().get(0);
            assertTrue(stop.getEntities().getInstanceIds().contains("i-0abc123def4567890"), stop.getEntities().toString());
            ObjectNode finding = finding("f-2", "2024-05-01T11:00:00.000Z", 1);
            finding.put("type", "UnauthorizedAccess:EC2/SSHBruteForce");
            finding.putObject("resource").put("resourceType", "Instance").putObject("instanceDetails")
                    .put("instanceId", "i-0abc123def4567890");
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            Alert found = t.alerts().get(0);
            Incident incident = last(t).get(stop.getIncidentId());
            assertTrue(incident.getAlerts().stream().map(AlertRef::getAlertId).toList().containsAll(List.of(stop.getAlertId(),
                    found.getAlertId())), "the finding joins the incident of the instance's alert");
        }
    }

    @Test
    void shouldJoinAnInstanceCredentialExfiltrationFindingWithTheInstancesCloudTrailAlerts() throws IOException {
        // #14: the finding names the instance only in its role session; role path and key differ from the CloudTrail side
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            ObjectNode identity = assumedRole("111111111111", "app/WebRole", "ASIAWEB");
            identity.put("arn", "arn:aws:sts::111111111111:assumed-role/WebRole/i-0abc123def4567890");
            t.pipe(event("s-1", "2024-05-01T10:00:00Z", identity, "cloudtrail.amazonaws.com", "StopLogging"));
            Alert stop = t.alerts().get(0);
            assertTrue(stop.getEntities().getInstanceIds().contains("i-0abc123def4567890"), stop.getEntities().toString());

            ObjectNode finding = finding("f-3", "2024-05-01T10:20:00.000Z", 1);
            finding.put("type", "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS");
            finding.putObject("resource").put("resourceType", "AccessKey").putObject("accessKeyDetails")
                    .put("accessKeyId", "ASIAEXFIL").put("principalId", "AROAWEBROLE:i-0abc123def4567890")
                    .put("userName", "WebRole").put("userType", "AssumedRole");
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            Alert found = t.alerts().get(0);
            assertEquals(List.of("i-0abc123def4567890"), found.getEntities().getInstanceIds());
            assertEquals("i-0abc123def4567890", found.getPrincipal().getSessionName());
            Incident incident = last(t).get(stop.getIncidentId());
            assertTrue(incident.getAlerts().stream().anyMatch(a -> a.getAlertId().equals(found.getAlertId())), "joined on the instance");
            assertEquals(List.of("f-3"), incident.getFindingIds());
        }
    }

    @Test
    void shouldNameNoInstanceForAFindingOnASessionThatIsNoInstance() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            ObjectNode finding = finding("f-4", "2024-05-01T10:20:00.000Z", 1);
            finding.putObject("resource").put("resourceType", "AccessKey").putObject("accessKeyDetails")
                    .put("accessKeyId", "ASIAOPS").put("principalId", "AROAOPS:alice@example.com")
                    .put("userName", "Ops").put("userType", "AssumedRole");
            t.guardDuty.pipeInput(null, MAPPER.writeValueAsBytes(finding), APPENDED);
            Alert found = t.alerts().get(0);
            assertEquals(List.of(), found.getEntities().getInstanceIds());
            assertEquals("alice@example.com", found.getPrincipal().getSessionName());
        }
    }

    @Test
    void shouldOpenANewIncidentAfterTheInactivityGap() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir, Map.of("trailhound.incident.gap.ms", 3_600_000L))) {
            t.pipe(event("s-1", "2024-05-01T10:00:00Z", iamUser("carol", "AKIACAROL"), "cloudtrail.amazonaws.com", "StopLogging"));
            t.pipe(event("s-2", "2024-05-01T10:50:00Z", iamUser("carol", "AKIACAROL"), "cloudtrail.amazonaws.com", "DeleteTrail"));
            t.pipe(event("s-3", "2024-05-01T13:00:00Z", iamUser("carol", "AKIACAROL"), "guardduty.amazonaws.com", "DeleteDetector"));
            List<Alert> alerts = t.alerts();
            assertEquals(3, alerts.size(), alerts.toString());
            Map<String, String> incidentOf = new HashMap<>();
            last(t).values().forEach(i -> i.getAlerts().forEach(a -> incidentOf.put(a.getAlertId(), i.getIncidentId())));
            assertEquals(incidentOf.get(alerts.get(0).getAlertId()), incidentOf.get(alerts.get(1).getAlertId()));
            assertNotEquals(incidentOf.get(alerts.get(1).getAlertId()), incidentOf.get(alerts.get(2).getAlertId()),
                    "more than an hour of silence");
            assertEquals(alerts.get(0).getIncidentId(), alerts.get(2).getIncidentId(), "one root, one day: one incident key");
        }
    }

    @Test
    void shouldCompleteAChainWhoseFirstHopWasReadAfterTheSecond() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            // the Ops session assumes Admin before alice's AssumeRole into Ops is processed (two tasks, one log file)
            t.pipe(assumeRole("m-2", "2024-05-01T09:01:00Z", assumedRole("222222222222", "Ops", "ASIAOPS"),
                    "arn:aws:iam::333333333333:role/Admin", "ASIAADMIN"));
            t.pipe(assumeRole("m-1", "2024-05-01T09:00:00Z", iamUser("alice", "AKIAALICE"), "arn:aws:iam::222222222222:role/Ops",
                    "ASIAOPS"));
            t.alerts();
            t.pipe(event("s-1", "2024-05-01T09:05:00Z", assumedRole("333333333333", "Admin", "ASIAADMIN"), "cloudtrail.amazonaws.com",
                    "StopLogging"));
            Alert stop = t.alerts().stream().filter(a -> a.getRuleId().equals("TH-CT-001")).findFirst().orElseThrow();
            assertEquals(List.of("arn:aws:iam::111111111111:user/alice", "arn:aws:iam::222222222222:role/Ops",
                    "arn:aws:iam::333333333333:role/Admin"), stop.getChain().stream().map(l -> l.getPrincipalArn()).toList());
        }
    }

    @Test
    void shouldPublishAnIncidentOnlyOnceItHoldsMoreThanInformationalAlerts() throws IOException {
        try (TopologyFixture t = new TopologyFixture(stateDir)) {
            t.pipe(event("i-1", "2024-05-01T10:00:00Z", iamUser("dave", "AKIADAVE"), "ec2.amazonaws.com", "StopInstances"));
            List<Alert> info = t.alerts();
            assertEquals(1, info.size(), info.toString());
            assertEquals(Severity.INFORMATIONAL, info.get(0).getSeverity());
            assertTrue(info.get(0).getIncidentId() != null, "the context alert names its group");
            assertTrue(last(t).isEmpty(), "an informational alert alone publishes no incident");

            t.pipe(event("s-1", "2024-05-01T10:10:00Z", iamUser("dave", "AKIADAVE"), "cloudtrail.amazonaws.com", "StopLogging"));
            Alert stop = t.alerts().get(0);
            assertEquals(info.get(0).getIncidentId(), stop.getIncidentId());
            Incident incident = last(t).get(stop.getIncidentId());
            assertEquals(List.of(info.get(0).getAlertId(), stop.getAlertId()),
                    incident.getAlerts().stream().map(a -> a.getAlertId()).toList(), "the informational alert is its context");
            assertEquals(Severity.HIGH, incident.getSeverity());
        }
    }

    private static Map<String, Incident> last(TopologyFixture t) {
        Map<String, Incident> out = new LinkedHashMap<>();
        t.incidents.readValuesToList().forEach(i -> out.put(i.getIncidentId(), i));
        return out;
    }

    private static ObjectNode finding(String id, String updatedAt, int count) {
        ObjectNode f = MAPPER.createObjectNode();
        f.put("schemaVersion", "2.0").put("accountId", "111111111111").put("region", "us-east-1").put("partition", "aws")
                .put("id", id).put("type", "UnauthorizedAccess:IAMUser/MaliciousIPCaller").put("severity", 5)
                .put("createdAt", updatedAt).put("updatedAt", updatedAt).put("title", "API called from a known malicious IP");
        f.putObject("resource").put("resourceType", "AccessKey").putObject("accessKeyDetails").put("accessKeyId", "AKIABOB")
                .put("principalId", "AIDABOB").put("userName", "bob").put("userType", "IAMUser");
        f.putObject("service").put("serviceName", "guardduty").put("count", count).put("archived", false);
        return f;
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

    private static String event(String id, String time, ObjectNode caller, String source, String name) throws IOException {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("eventID", id).put("eventTime", time).put("eventSource", source).put("eventName", name)
                .put("awsRegion", "us-east-1").put("recipientAccountId", caller.path("accountId").asText())
                .put("sourceIPAddress", "198.51.100.7").put("userAgent", "aws-cli/2.15.0");
        e.set("userIdentity", caller);
        e.putObject("requestParameters").put("name", "main").put("detectorId", "d-1");
        return MAPPER.writeValueAsString(e);
    }

    private static String assumeRole(String id, String time, ObjectNode caller, String roleArn, String newKey) throws IOException {
        ObjectNode e = (ObjectNode) MAPPER.readTree(event(id, time, caller, "sts.amazonaws.com", "AssumeRole"));
        e.putObject("requestParameters").put("roleArn", roleArn).put("roleSessionName", "session");
        e.putObject("responseElements").putObject("credentials").put("accessKeyId", newKey).put("expiration", "May 1, 2024");
        return MAPPER.writeValueAsString(e);
    }
}
