package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;

/**
 * Issue #13: detection that knows the environment. Severity from evidence (a first role or account is a signal unless a new
 * network or client, or an account outside the organization, corroborates it), the organization's accounts are not foreign,
 * and instance credentials are judged by AWS's ranges and the instances' own addresses.
 */
class EnvironmentDetectionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String OFFICE = "198.51.100.20";

    @TempDir
    Path stateDir;

    @Test
    void shouldRaiseAFirstRoleInTheOrganizationFromKnownNetworksAsASignal() {
        Map<String, Object> org = Map.of(StreamProcessorConfig.ORGANIZATION_ACCOUNTS_CONFIG, "111111111111,222222222222");
        try (TopologyFixture t = new TopologyFixture(stateDir, org)) {
            history(t, "mover", OFFICE);
            t.pipe(assumeRole("mv-1", "2025-03-12T09:00:00Z", "mover", OFFICE, "arn:aws:iam::222222222222:role/Platform"));
            assertEquals(Severity.LOW, severityOf(t.alerts(), "TH-BL-004"));
        }
    }

    @Test
    void shouldRaiseItAsAnAlertWhenANewNetworkCameShortlyBefore() {
        Map<String, Object> org = Map.of(StreamProcessorConfig.ORGANIZATION_ACCOUNTS_CONFIG, "111111111111,222222222222");
        try (TopologyFixture t = new TopologyFixture(stateDir, org)) {
            history(t, "stolen", OFFICE);
            t.pipe(call("st-recon", "2025-03-12T02:00:00Z", "stolen", "203.0.113.50", "GetCallerIdentity"));
            // the hop comes from the network learned an hour earlier: the earlier novelty still corroborates it
            t.pipe(assumeRole("st-1", "2025-03-12T03:00:00Z", "stolen", "203.0.113.50", "arn:aws:iam::222222222222:role/Admin"));
            List<Alert> alerts = t.alerts();
            assertEquals(Severity.MEDIUM, severityOf(alerts, "TH-BL-004"));
            assertEquals(Severity.MEDIUM, severityOf(alerts, "TH-BL-005"));
        }
    }

    @Test
    void shouldRaiseItAsAnAlertForAnAccountOutsideTheOrganization() {
        Map<String, Object> org = Map.of(StreamProcessorConfig.ORGANIZATION_ACCOUNTS_CONFIG, "111111111111,222222222222");
        try (TopologyFixture t = new TopologyFixture(stateDir, org)) {
            history(t, "hopper", OFFICE);
            t.pipe(assumeRole("hp-1", "2025-03-12T09:00:00Z", "hopper", OFFICE, "arn:aws:iam::999999999999:role/Partner"));
            List<Alert> alerts = t.alerts();
            assertEquals(Severity.MEDIUM, severityOf(alerts, "TH-BL-004"));
            assertEquals(Severity.MEDIUM, severityOf(alerts, "TH-BL-005"));
        }
    }

    @Test
    void shouldNotCallABucketSharedWithAnotherAccountOfTheOrganizationForeign() {
        try (TopologyFixture t = new TopologyFixture(stateDir, Map.of())) {
            // nothing configured: the organization trail's layout teaches the member account
            RecordHeaders headers = new RecordHeaders();
            headers.add("key", ("AWSLogs/o-abc123defg/222222222222/CloudTrail/us-east-1/2025/03/01/"
                    + "222222222222_CloudTrail_us-east-1_20250301T0000Z_x.json.gz").getBytes(StandardCharsets.UTF_8));
            String member = call("org-1", "2025-03-01T00:00:00Z", "someone", OFFICE, "DescribeInstances");
            t.cloudTrail.pipeInput(new TestRecord<>(null, member.getBytes(StandardCharsets.UTF_8), headers,
                    Instant.parse("2025-03-01T00:01:00Z")));
            t.pipe(bucketPolicy("share-org", "2025-03-02T10:00:00Z", "222222222222"));
            assertTrue(t.alerts().stream().noneMatch(a -> a.getRuleId().equals("TH-RES-002")), "same organization");
            t.pipe(bucketPolicy("share-out", "2025-03-02T11:00:00Z", "999999999999"));
            assertTrue(t.alerts().stream().anyMatch(a -> a.getRuleId().equals("TH-RES-002")), "outside the organization");
        }
    }

    @Test
    void shouldJudgeInstanceCredentialsByTheInstancesOwnAddressesAndAwsRanges() {
        try (TopologyFixture t = new TopologyFixture(stateDir, Map.of())) {
            // an Auto Scaling group: each new instance calls from a fresh address of AWS's pool (learning is over by then)
            for (int i = 0; i < 10; i++) {
                String day = String.format("2025-04-%02dT09:00:00Z", i + 1);
                t.pipe(instanceCall("asg-" + i, day, "i-0aaaaaaaaaaaaa10" + i, "54.156.10." + (10 + i)));
            }
            assertTrue(t.alerts().isEmpty(), "replaced instances from AWS's pool are normal: " + t.alerts());
            t.pipe(instanceCall("vpce", "2025-04-10T10:00:00Z", "i-0aaaaaaaaaaaaa109", "10.0.4.4"));
            t.pipe(instanceCall("outside", "2025-04-10T11:00:00Z", "i-0aaaaaaaaaaaaa109", "203.0.113.9"));
            t.pipe(instanceCall("other", "2025-04-10T12:00:00Z", "i-0aaaaaaaaaaaaa109", "54.156.10.12"));
            List<Alert> alerts = t.alerts();
            assertEquals(Severity.HIGH, severityOf(alerts, "TH-STS-003"));
            assertEquals(Severity.HIGH, severityOf(alerts, "TH-STS-005"));
            // the call through the VPC endpoint raises nothing, not even a new-network signal
            assertEquals(List.of("outside", "other"), alerts.stream().flatMap(a -> a.getEventIds().stream()).distinct().toList());
        }
    }

    private static Severity severityOf(List<Alert> alerts, String ruleId) {
        return alerts.stream().filter(a -> a.getRuleId().equals(ruleId)).map(Alert::getSeverity).findFirst()
                .orElseThrow(() -> new AssertionError(ruleId + " not raised: " + alerts));
    }

    /** Eleven days of calls from {@code network} with the CLI. */
    private static void history(TopologyFixture t, String user, String network) {
        for (int day = 1; day <= 11; day++) {
            t.pipe(call(user + "-h" + day, String.format("2025-03-%02dT09:00:00Z", day), user, network, "DescribeInstances"));
            t.pipe(assumeRole(user + "-r" + day, String.format("2025-03-%02dT09:30:00Z", day), user, network,
                    "arn:aws:iam::111111111111:role/Dev"));
        }
    }

    private static ObjectNode base(String id, String time, String user, String ip, String source, String name) {
        ObjectNode e = MAPPER.createObjectNode().put("eventVersion", "1.08").put("eventID", id).put("eventTime", time)
                .put("eventSource", source).put("eventName", name).put("eventType", "AwsApiCall").put("awsRegion", "us-east-1")
                .put("recipientAccountId", "111111111111").put("sourceIPAddress", ip).put("userAgent", "aws-cli/2.15.0 Python/3.11");
        e.putObject("userIdentity").put("type", "IAMUser").put("principalId", "AIDA" + user.toUpperCase())
                .put("arn", "arn:aws:iam::111111111111:user/" + user).put("accountId", "111111111111")
                .put("accessKeyId", "AKIA" + user.toUpperCase()).put("userName", user);
        return e;
    }

    private static String call(String id, String time, String user, String ip, String name) {
        return base(id, time, user, ip, "ec2.amazonaws.com", name).toString();
    }

    private static String assumeRole(String id, String time, String user, String ip, String roleArn) {
        ObjectNode e = base(id, time, user, ip, "sts.amazonaws.com", "AssumeRole");
        e.putObject("requestParameters").put("roleArn", roleArn).put("roleSessionName", user);
        e.putObject("responseElements").putObject("credentials").put("accessKeyId", "ASIA" + id.toUpperCase().replace("-", ""))
                .put("expiration", "later");
        return e.toString();
    }

    private static String bucketPolicy(String id, String time, String grantee) {
        ObjectNode e = base(id, time, "ops", OFFICE, "s3.amazonaws.com", "PutBucketPolicy");
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                + grantee + ":root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::shared/*\"}]}";
        e.putObject("requestParameters").put("bucketName", "shared").set("bucketPolicy", readTree(policy));
        return e.toString();
    }

    private static String instanceCall(String id, String time, String instance, String ip) {
        ObjectNode e = MAPPER.createObjectNode().put("eventVersion", "1.08").put("eventID", id).put("eventTime", time)
                .put("eventSource", "s3.amazonaws.com").put("eventName", "GetObject").put("eventType", "AwsApiCall")
                .put("awsRegion", "us-east-1").put("recipientAccountId", "111111111111").put("sourceIPAddress", ip)
                .put("userAgent", "aws-sdk-java/2.25.0");
        e.putObject("userIdentity").put("type", "AssumedRole").put("principalId", "AROAWEB:" + instance)
                .put("arn", "arn:aws:sts::111111111111:assumed-role/web-tier-role/" + instance).put("accountId", "111111111111")
                .put("accessKeyId", "ASIAWEB" + id.toUpperCase().replace("-", ""))
                .putObject("sessionContext").putObject("sessionIssuer").put("type", "Role")
                .put("arn", "arn:aws:iam::111111111111:role/web-tier-role").put("accountId", "111111111111");
        return e.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
