package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.connector.cloudtrail.TrailFixture;
import io.trailhound.keying.PrincipalKeys;
import io.trailhound.testkit.KafkaBrokerExtension;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip works on its own: it is unpacked into a {@code plugin.path} directory and a Connect worker is started
 * in a separate JVM whose class path holds the Connect runtime but none of this module's classes, so the connectors can
 * only come from the plugin directory (Connect's isolated plugin class loader). The worker lists the three connectors
 * and the PrincipalKey transform, and runs the log-file source over a local trail with the transform keying every record by
 * durable principal (#16): keys and partitions are checked against {@link PrincipalKeys}.
 */
class PluginPackagingIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void shouldRunFromTheUnpackedZipOnAWorkerWithoutOurClasses() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of("111111111111"), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 2, 5);
        trail.writeTo(dir.resolve("trail"));
        List<byte[]> identities = variedIdentities();
        TrailFixture.write(dir.resolve("trail").resolve(TrailFixture.key("111111111111", "us-east-1", LocalDate.of(2024, 5, 1),
            Instant.parse("2024-05-01T00:15:00Z"))), TrailFixture.gzip(TrailFixture.file(identities)));
        int expected = trail.events().size() + identities.size();
        KAFKA.createTopic("plugin.raw", PARTITIONS, Map.of());
        try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(dir, "plugin-it",
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            try {
                String plugins = worker.awaitGet("/connector-plugins?connectorsOnly=false", Duration.ofSeconds(180));
                for (String plugin : List.of("CloudTrailS3SourceConnector", "CloudTrailEventBridgeSourceConnector",
                    "GuardDutySourceConnector", "IamSnapshotSourceConnector", "io.trailhound.connector.transform.PrincipalKey")) {
                    assertTrue(plugins.contains(plugin), plugin + " missing from " + plugins);
                }
                // #16: keyed at ingest by the packaged transform, written with the StringConverter
                HttpResponse<String> created = worker.create(keyedTrailConnector("packaged", dir.resolve("trail"), "plugin.raw"));
                assertEquals(201, created.statusCode(), created.body());
                try (TopicReader reader = new TopicReader(KAFKA.bootstrapServers(), "plugin.raw", false)) {
                    List<ConsumerRecord<byte[], byte[]>> records = reader.readUntil(r -> r.size() >= expected, Duration.ofSeconds(120));
                    assertEquals(expected, records.size(), "records from the packaged connector");
                    assertKeyedByPrincipal(records, expected);
                }
                assertTrue(worker.awaitGet("/connectors/packaged/status", Duration.ofSeconds(30)).contains("\"RUNNING\""));
            } catch (Exception | AssertionError failure) {
                failure.addSuppressed(new AssertionError("worker log ends with:\n" + worker.logTail(60)));
                throw failure;
            }
        }
    }

    /** The log-file source over a local trail directory, keyed by {@code PrincipalKey} and written with the StringConverter. */
    static String keyedTrailConnector(String name, Path trail, String topic) {
        return "{\"name\":\"" + name + "\",\"config\":{\"connector.class\":"
            + "\"io.trailhound.connector.cloudtrail.CloudTrailS3SourceConnector\",\"tasks.max\":\"1\","
            + "\"location\":\"" + trail.toUri() + "\",\"topic\":\"" + topic + "\",\"poll.interval.ms\":\"500\","
            + "\"transforms\":\"key\",\"transforms.key.type\":\"io.trailhound.connector.transform.PrincipalKey\","
            + "\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\"}}";
    }

    /**
     * Every record is keyed with {@link PrincipalKeys} of its own bytes (which are the input's, byte for byte) and sits in the
     * partition the producer's default partitioner, like Kafka Streams, picks for that key: murmur2 of its UTF-8 bytes.
     */
    private static void assertKeyedByPrincipal(List<ConsumerRecord<byte[], byte[]>> records, int expected) throws IOException {
        PrincipalKeys keys = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));
        Set<String> distinct = new HashSet<>();
        Set<Integer> partitions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = keys.recordKey(new ObjectMapper().readTree(record.value()));
            assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), record.key(), new String(record.value(), StandardCharsets.UTF_8));
            assertEquals(Utils.toPositive(Utils.murmur2(record.key())) % PARTITIONS, record.partition(), key);
            distinct.add(key);
            partitions.add(record.partition());
        }
        assertEquals(expected, records.size());
        assertTrue(distinct.size() >= 8 && partitions.size() >= 3, distinct + " over partitions " + partitions);
    }

    /** CloudTrail records of every kind of caller, each keyed apart (SSO sessions by session, federation by role). */
    private static List<byte[]> variedIdentities() {
        String sso = "{\"type\":\"AssumedRole\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:sts::111111111111:assumed-role/"
            + "AWSReservedSSO_Admin_0a1b/%s\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":"
            + "\"arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0a1b\",\"userName\":"
            + "\"AWSReservedSSO_Admin_0a1b\"}}}";
        List<String> identities = List.of(
            "{\"type\":\"IAMUser\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:iam::111111111111:user/bob\",\"userName\":\"bob\"}",
            "{\"type\":\"Root\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:iam::111111111111:root\"}",
            "{\"type\":\"AWSService\",\"invokedBy\":\"cloudtrail.amazonaws.com\"}",
            "{\"type\":\"AWSAccount\",\"accountId\":\"222222222222\",\"principalId\":\"AIDAEXAMPLE\"}",
            "{\"type\":\"IdentityCenterUser\",\"accountId\":\"111111111111\",\"onBehalfOf\":{\"userId\":\"u-77\"}}",
            "{\"type\":\"FederatedUser\",\"accountId\":\"111111111111\",\"arn\":\"arn:aws:sts::111111111111:federated-user/eve\"}",
            String.format(sso, "ann@example.com"), String.format(sso, "raj@example.com"),
            "{\"type\":\"WebIdentityUser\",\"userName\":\"repo:acme/app:ref:refs/heads/main\"}");
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            boolean web = identities.get(i).contains("WebIdentityUser");
            records.add(("{\"eventVersion\":\"1.09\",\"userIdentity\":" + identities.get(i) + ",\"eventTime\":\"2024-05-01T00:1" + i
                + ":00Z\",\"eventSource\":\"" + (web ? "sts" : "iam") + ".amazonaws.com\",\"eventName\":\""
                + (web ? "AssumeRoleWithWebIdentity" : "ListUsers") + "\",\"requestParameters\":"
                + (web ? "{\"roleArn\":\"arn:aws:iam::111111111111:role/deploy\"}" : "null") + ",\"responseElements\":"
                + (web ? "{\"provider\":\"arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com\","
                    + "\"subjectFromWebIdentityToken\":\"repo:acme/app:ref:refs/heads/main\"}" : "null")
                + ",\"eventID\":\"varied-" + i + "\",\"recipientAccountId\":\"111111111111\"}").getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
