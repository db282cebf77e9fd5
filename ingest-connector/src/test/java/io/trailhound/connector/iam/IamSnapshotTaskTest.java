package io.trailhound.connector.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.LocalTaskRun;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsRequest;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The IAM snapshot task outside a worker, against {@link FakeIam} (IAM's Query protocol and XML on WireMock), STS and
 * Organizations stubs: paging to the end, decoded documents in the CLI's form, SCP levels, AccessDenied as a partial
 * snapshot, dead letters, and the resume of an interrupted snapshot from its offset.
 */
class IamSnapshotTaskTest {

    static final FakeIam IAM = new FakeIam();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension(IAM);

    static final String A = "111111111111";
    static final String USER_DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read a+b\",\"Effect\":\"Allow\","
        + "\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::logs/100% caf\u00e9/*\"}]}";
    static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
        + "\"arn:aws:iam::222222222222:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":"
        + "\"true\"}}}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void stub() {
        IAM.reset();
        IAM.stubOn(AWS);
        IamStubs.memberRoles(AWS, List.of(A));
    }

    /** Two users, a group, two roles and two policies: seven entities. */
    static void seed(FakeIam iam, String account) {
        iam.put(account, FakeIam.user(account, "alice", USER_DOC));
        iam.put(account, FakeIam.user(account, "bob", USER_DOC));
        iam.put(account, FakeIam.group(account, "admins"));
        iam.put(account, FakeIam.role(account, "deploy", TRUST));
        iam.put(account, FakeIam.role(account, "audit", TRUST));
        iam.put(account, FakeIam.policy(account, "admin", IamStubs.FULL_ACCESS));
        iam.put(account, FakeIam.policy(account, "boundary", USER_DOC));
    }

    @Test
    void shouldPageToTheEndAndWriteEveryEntityWithItsDocumentsDecoded() throws Exception {
        seed(IAM, A);
        Map<String, String> config = IamStubs.config(AWS, List.of(A), "iam");
        config.put("iam.page.size", "3");

        List<SourceRecord> records = run(config, Map.of(), 8);

        List<AwsRequest> pages = AWS.requests("GetAccountAuthorizationDetails");
        assertEquals(3, pages.size(), "7 entities at 3 a page");
        assertNull(pages.get(0).param("Marker"));
        assertEquals(List.of("page-3", "page-6"), List.of(pages.get(1).param("Marker"), pages.get(2).param("Marker")));
        assertEquals("3", pages.get(2).param("MaxItems"));
        assertEquals(8, records.size(), "seven entities and the marker: " + keys(records));
        long epoch = value(records.get(0)).get("epoch").asLong();
        for (SourceRecord record : records) {
            JsonNode value = value(record);
            assertEquals("trailhound.iam.snapshot.v1", value.get("format").asText());
            assertEquals(A, value.get("accountId").asText());
            assertEquals(epoch, value.get("epoch").asLong(), "one epoch in the whole snapshot");
            assertEquals(A + "|" + value.get("arn").asText(), record.key());
            assertEquals("iam", record.topic());
        }
        JsonNode alice = entity(records, "arn:aws:iam::" + A + ":user/alice");
        assertEquals(JSON.readTree(USER_DOC), alice.at("/UserPolicyList/0/PolicyDocument"));
        assertEquals("2024-05-01T10:00:00+00:00", alice.get("CreateDate").asText());
        assertEquals("admins", alice.at("/GroupList/0").asText());
        JsonNode deploy = entity(records, "arn:aws:iam::" + A + ":role/deploy");
        assertEquals(JSON.readTree(TRUST), deploy.get("AssumeRolePolicyDocument"));
        assertEquals("arn:aws:iam::" + A + ":policy/boundary", deploy.at("/PermissionsBoundary/PermissionsBoundaryArn").asText());
        assertEquals("2024-06-01T08:30:00+00:00", deploy.at("/RoleLastUsed/LastUsedDate").asText());
        JsonNode admin = entity(records, "arn:aws:iam::" + A + ":policy/admin");
        assertEquals(JSON.readTree(IamStubs.FULL_ACCESS), admin.at("/PolicyVersionList/0/Document"));
        assertTrue(admin.at("/PolicyVersionList/0/IsDefaultVersion").isBoolean());
        assertTrue(admin.get("AttachmentCount").isInt());
        assertEquals("Group", value(find(records, A + "|arn:aws:iam::" + A + ":group/admins")).get("kind").asText());
        JsonNode marker = value(records.get(records.size() - 1));
        assertEquals("Snapshot", marker.get("kind").asText());
        assertEquals(A + "|snapshot", records.get(records.size() - 1).key());
        assertTrue(marker.at("/entity/complete").asBoolean(), marker.toString());
        assertEquals(JSON.readTree("{\"User\":2,\"Group\":1,\"Role\":2,\"Policy\":2}"), marker.at("/entity/counts"));
        assertEquals(java.time.Instant.ofEpochMilli(epoch).toString(), marker.at("/entity/startedAt").asText());
        Map<String, ?> done = records.get(records.size() - 1).sourceOffset();
        assertEquals(Boolean.TRUE, done.get("done"));
        assertEquals(7, SnapshotOffset.fromMap(done).keys().size());
    }

    @Test
    void shouldWriteTheScpLevelsFromTheRootDownWithTheOrganizationsRole() throws Exception {
        IAM.put(A, FakeIam.user(A, "alice", USER_DOC));
        IamStubs.organization(AWS, List.of(A));
        Map<String, String> config = IamStubs.config(AWS, List.of(A), "iam");
        config.put("organizations.role.arn", IamStubs.ORG_ROLE);

        List<SourceRecord> records = run(config, Map.of(), 3);

        JsonNode scp = value(find(records, A + "|scp"));
        assertEquals("Scp", scp.get("kind").asText());
        assertEquals("scp", scp.get("arn").asText());
        JsonNode levels = scp.at("/entity/levels");
        assertEquals(3, levels.size(), "root, OU, account: " + levels);
        assertEquals("p-FullAWSAccess", levels.at("/0/0/PolicyId").asText());
        assertEquals(List.of("FullAWSAccess", "DenyLeave"), List.of(levels.at("/1/0/Name").asText(), levels.at("/1/1/Name").asText()));
        assertEquals(JSON.readTree(IamStubs.DENY_LEAVE), levels.at("/1/1/Content"));
        assertEquals(1, levels.get(2).size());
        assertTrue(value(records.get(records.size() - 1)).at("/entity/complete").asBoolean());
        assertTrue(AWS.requests("AssumeRole").stream().anyMatch(r -> IamStubs.ORG_ROLE.equals(r.param("RoleArn"))));
        assertEquals(2, AWS.requests("AWSOrganizationsV20161128.DescribePolicy").size(), "each policy described once");
    }

    @Test
    void shouldMarkTheAccountPartialOnAccessDeniedAndDeleteNothingItKnew() throws Exception {
        IAM.deny(A);
        Set<String> known = Set.of("arn:aws:iam::" + A + ":user/alice", "arn:aws:iam::" + A + ":role/deploy");
        Map<Map<String, String>, Map<String, Object>> offsets = Map.of(IamSnapshotReader.partition(A),
            new SnapshotOffset(1_000L, true, known).toMap());

        List<SourceRecord> records = run(IamStubs.config(AWS, List.of(A), "iam"), offsets, 1);

        assertEquals(1, records.size(), "only the marker, no tombstone: " + keys(records));
        JsonNode marker = value(records.get(0)).get("entity");
        assertEquals(false, marker.get("complete").asBoolean());
        assertTrue(marker.get("partial").get(0).asText().startsWith("iam:GetAccountAuthorizationDetails AccessDenied: "),
            marker.toString());
        assertEquals(known, SnapshotOffset.fromMap(records.get(0).sourceOffset()).keys(), "the known keys stay known");
    }

    @Test
    void shouldResumeAnInterruptedSnapshotWithItsEpochAndTombstoneEverythingGone() throws Exception {
        IAM.put(A, FakeIam.user(A, "alice", USER_DOC));
        // Recent: an epoch older than the interval would be followed at once by the next snapshot.
        long epoch = System.currentTimeMillis() - 1_000;
        // Interrupted after some records: the offset holds the previous snapshot's keys with the new one's.
        Set<String> mayHold = Set.of("arn:aws:iam::" + A + ":user/alice", "arn:aws:iam::" + A + ":user/gone", "scp");
        Map<Map<String, String>, Map<String, Object>> offsets = Map.of(IamSnapshotReader.partition(A),
            new SnapshotOffset(epoch, false, mayHold).toMap());

        List<SourceRecord> records = run(IamStubs.config(AWS, List.of(A), "iam"), offsets, 3);

        assertEquals(List.of(A + "|arn:aws:iam::" + A + ":user/alice", A + "|arn:aws:iam::" + A + ":user/gone", A + "|snapshot"),
            keys(records), "alice, the tombstone of gone, the marker (SCPs are not read, so not deleted)");
        assertNull(records.get(1).value());
        for (SourceRecord record : List.of(records.get(0), records.get(2))) {
            assertEquals(epoch, value(record).get("epoch").asLong(), "the interrupted snapshot's epoch");
        }
        assertEquals(Set.of("arn:aws:iam::" + A + ":user/alice", "scp"), SnapshotOffset.fromMap(records.get(2).sourceOffset()).keys());
    }

    @Test
    void shouldNotRepeatACompletedSnapshotBeforeItsInterval() throws Exception {
        IAM.put(A, FakeIam.user(A, "alice", USER_DOC));
        Map<Map<String, String>, Map<String, Object>> offsets = Map.of(IamSnapshotReader.partition(A),
            new SnapshotOffset(System.currentTimeMillis(), true, Set.of("arn:aws:iam::" + A + ":user/alice")).toMap());

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(new IamSnapshotSourceTask(), IamStubs.config(AWS, List.of(A), "iam"), offsets)) {
            records = run.pollUntilQuiet(Duration.ofSeconds(2));
        }

        assertEquals(List.of(), keys(records));
        assertEquals(0, IAM.calls());
    }

    @Test
    void shouldDeadLetterAnEntityWhoseDocumentIsNotJsonAndKeepItsKey() throws Exception {
        IAM.put(A, FakeIam.user(A, "alice", USER_DOC));
        IAM.put(A, new FakeIam.Entity("RoleDetailList", "arn:aws:iam::" + A + ":role/broken", "<Path>/</Path><RoleName>broken"
            + "</RoleName><RoleId>AROABROKEN</RoleId><Arn>arn:aws:iam::" + A + ":role/broken</Arn><CreateDate>2024-05-01T10:00:00Z"
            + "</CreateDate><AssumeRolePolicyDocument>%7Bnot%20json</AssumeRolePolicyDocument>"));

        List<SourceRecord> records = run(IamStubs.config(AWS, List.of(A), "iam"), Map.of(), 3);

        SourceRecord dead = find(records, A + "|arn:aws:iam::" + A + ":role/broken");
        assertEquals("iam.dead", dead.topic());
        assertTrue(new String(dead.headers().lastWithName("reason").value().toString()).contains("AssumeRolePolicyDocument"));
        assertEquals("connector", dead.headers().lastWithName("component").value());
        JsonNode marker = value(records.get(records.size() - 1)).get("entity");
        assertEquals(false, marker.get("complete").asBoolean());
        assertTrue(marker.get("partial").get(0).asText().startsWith("arn:aws:iam::" + A + ":role/broken: policy document"),
            marker.toString());
        assertTrue(SnapshotOffset.fromMap(records.get(records.size() - 1).sourceOffset()).keys().contains("arn:aws:iam::" + A
            + ":role/broken"), "a dead-lettered entity is never tombstoned by its own snapshot");
    }

    private static List<SourceRecord> run(Map<String, String> config, Map<Map<String, String>, Map<String, Object>> offsets, int count)
        throws InterruptedException {
        try (LocalTaskRun run = new LocalTaskRun(new IamSnapshotSourceTask(), config, offsets)) {
            return run.pollAndThenQuiet(count, Duration.ofSeconds(1));
        }
    }

    static JsonNode value(SourceRecord record) {
        try {
            return JSON.readTree((String) record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }

    private static JsonNode entity(List<SourceRecord> records, String arn) {
        return value(find(records, A + "|" + arn)).get("entity");
    }

    private static SourceRecord find(List<SourceRecord> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow(() -> new AssertionError(key + " not in "
            + keys(records)));
    }

    private static List<String> keys(List<SourceRecord> records) {
        List<String> keys = new ArrayList<>();
        records.forEach(r -> keys.add(String.valueOf(r.key())));
        return keys;
    }
}
