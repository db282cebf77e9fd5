package io.trailhound.connector.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The IAM snapshot source on a real Connect worker and broker, against {@link FakeIam} (IAM's Query protocol on WireMock)
 * and STS and Organizations stubs: several accounts paged to the end with their documents decoded and their SCPs, an
 * account answering AccessDenied marked partial, tombstones for entities deleted between snapshots, and a worker restart
 * between snapshots that neither repeats a marker nor forgets the key set the next snapshot tombstones from.
 */
class IamSnapshotSourceIT {

    static final FakeIam IAM = new FakeIam();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension(IAM);

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "111111111111";
    private static final String DENIED = "222222222222";
    private static final String C = "333333333333";

    @BeforeEach
    void stub() {
        IAM.reset();
        IAM.stubOn(AWS);
        IamStubs.memberRoles(AWS, List.of(A, DENIED, C));
    }

    @Test
    void shouldSnapshotEachAccountPagedToTheEndAndMarkADeniedOnePartial() throws Exception {
        IamSnapshotTaskTest.seed(IAM, A);
        IAM.deny(DENIED);
        IamStubs.organization(AWS, List.of(A, DENIED));
        CONNECT.cluster().kafka().createTopic("iam.accounts", 1);
        Map<String, String> config = config(List.of(A, DENIED), "iam.accounts");
        config.put("iam.page.size", "2");
        config.put("organizations.role.arn", IamStubs.ORG_ROLE);
        config.put("tasks.max", "2");
        CONNECT.cluster().configureConnector("iam-accounts", config);

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "iam.accounts", false)) {
            reader.readUntil(r -> markers(r).size() >= 2, WAIT);
            records = reader.readFor(Duration.ofSeconds(2));
        }
        CONNECT.cluster().deleteConnector("iam-accounts");

        assertEquals(4, AWS.requests("GetAccountAuthorizationDetails").stream()
            .filter(r -> String.valueOf(r.header("Authorization")).contains(FakeIam.keyOf(A))).count(), "7 entities at 2 a page");
        Map<String, JsonNode> latest = latest(records);
        assertEquals(2 + 1 + 2 + 2 + 2, latest.keySet().stream().filter(k -> k.startsWith(A + "|")).count(), latest.keySet().toString());
        assertEquals(JSON.readTree(IamSnapshotTaskTest.TRUST), latest.get(A + "|arn:aws:iam::" + A + ":role/audit")
            .at("/entity/AssumeRolePolicyDocument"));
        assertEquals(JSON.readTree(IamSnapshotTaskTest.USER_DOC), latest.get(A + "|arn:aws:iam::" + A + ":user/bob")
            .at("/entity/UserPolicyList/0/PolicyDocument"));
        assertEquals(3, latest.get(A + "|scp").at("/entity/levels").size());
        JsonNode complete = latest.get(A + "|snapshot").get("entity");
        assertTrue(complete.get("complete").asBoolean(), complete.toString());
        assertEquals(2, complete.at("/counts/Role").asInt());
        JsonNode partial = latest.get(DENIED + "|snapshot").get("entity");
        assertEquals(false, partial.get("complete").asBoolean());
        assertTrue(partial.get("partial").toString().contains("iam:GetAccountAuthorizationDetails AccessDenied"), partial.toString());
        assertEquals(3, latest.get(DENIED + "|scp").at("/entity/levels").size(), "the SCPs of the denied account are still read");
        assertEquals(List.of(A + "|snapshot", DENIED + "|snapshot"), markers(records).stream().map(m -> m.key).sorted().toList(),
            "one marker per account");
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            JsonNode marker = latest.get(key.substring(0, 12) + "|snapshot");
            assertEquals(marker.get("epoch").asLong(), value(record).get("epoch").asLong(), key + " has its snapshot's epoch");
        }
    }

    @Test
    void shouldTombstoneDeletedEntitiesAcrossSnapshotsAndAWorkerRestart() throws Exception {
        IamSnapshotTaskTest.seed(IAM, C);
        CONNECT.cluster().kafka().createTopic("iam.changes", 1);
        Map<String, String> config = config(List.of(C), "iam.changes");
        // Longer than a first snapshot takes (role assumption and client start included), so each change falls between two.
        config.put("iam.snapshot.interval.ms", "10000");
        CONNECT.cluster().configureConnector("iam-changes", config);
        String bob = C + "|arn:aws:iam::" + C + ":user/bob";
        String audit = C + "|arn:aws:iam::" + C + ":role/audit";

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "iam.changes", false)) {
            reader.readUntil(r -> markers(r).size() >= 1, WAIT);
            IAM.delete(C, "arn:aws:iam::" + C + ":user/bob");
            reader.readUntil(r -> markers(r).size() >= 2, WAIT);
            CONNECT.cluster().removeWorker();
            IAM.delete(C, "arn:aws:iam::" + C + ":role/audit");
            CONNECT.cluster().addWorker();
            records = reader.readUntil(r -> markers(r).size() >= 3, WAIT);
            records = reader.readFor(Duration.ofSeconds(2));
        }
        CONNECT.cluster().deleteConnector("iam-changes");

        List<Marker> markers = markers(records);
        List<Long> epochs = markers.stream().map(m -> m.epoch).toList();
        assertEquals(epochs.stream().distinct().sorted().toList(), epochs, "one marker per snapshot, in order: " + epochs);
        assertTrue(epochs.size() >= 3, epochs.toString());
        int bobGone = tombstone(records, bob);
        int auditGone = tombstone(records, audit);
        assertTrue(markers.get(0).offset < bobGone && bobGone < markers.get(1).offset, "bob's tombstone in the second snapshot");
        assertTrue(markers.get(1).offset < auditGone && auditGone < markers.get(2).offset,
            "audit's tombstone in the first snapshot after the restart: the key set came back from the offsets");
        Map<String, JsonNode> latest = latest(records);
        assertNull(latest.get(bob));
        assertNull(latest.get(audit));
        assertEquals(6, latest.size(), "five entities and the marker: " + latest.keySet());
        assertEquals(1, markers.stream().filter(m -> m.epoch == markers.get(1).epoch).count(), "the restart repeated no marker");
    }

    private static Map<String, String> config(List<String> accounts, String topic) {
        Map<String, String> config = IamStubs.config(AWS, accounts, topic);
        config.put("connector.class", IamSnapshotSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", StringConverter.class.getName());
        return config;
    }

    private record Marker(String key, long epoch, int offset) {
    }

    private static List<Marker> markers(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Marker> markers = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String key = new String(records.get(i).key(), StandardCharsets.UTF_8);
            if (key.endsWith("|snapshot")) {
                markers.add(new Marker(key, value(records.get(i)).get("epoch").asLong(), i));
            }
        }
        return markers;
    }

    /** The position of the (first) tombstone of {@code key}. */
    private static int tombstone(List<ConsumerRecord<byte[], byte[]>> records, String key) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).value() == null && key.equals(new String(records.get(i).key(), StandardCharsets.UTF_8))) {
                return i;
            }
        }
        throw new AssertionError("no tombstone for " + key);
    }

    /** The topic as compaction leaves it: the last value per key, tombstoned keys removed. */
    private static Map<String, JsonNode> latest(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                latest.remove(key);
            } else {
                latest.put(key, value(record));
            }
        }
        return latest;
    }

    private static JsonNode value(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(record.value(), StandardCharsets.UTF_8), e);
        }
    }
}
