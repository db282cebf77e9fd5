package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSignature;
import io.trailhound.topic.Topics;

/** Issue #19 item 2: every alert and incident the topology emits carries the pipeline's signature over its exact bytes. */
class SignedRecordsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final KeyPair DETECT = Ed25519Keys.generate();

    @TempDir
    Path dir;

    @Test
    void shouldSignEveryAlertAndIncidentOverTheBytesWrittenForItsTopic() throws Exception {
        Path key = dir.resolve("detect.key");
        Ed25519Keys.writePrivateKey(key, DETECT.getPrivate());
        Map<String, Object> settings = Map.of(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG, key.toString(),
                StreamProcessorConfig.SIGNING_KEY_ID_CONFIG, "detect-test");
        RecordSignature check = new RecordSignature(Map.of("detect-test", DETECT.getPublic()));
        try (TopologyFixture t = new TopologyFixture(dir.resolve("state"), settings)) {
            TestOutputTopic<String, byte[]> alerts = t.driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> incidents = t.driver.createOutputTopic(Topics.INCIDENTS, new StringDeserializer(),
                    new ByteArrayDeserializer());
            t.pipe(stopLogging("s-1", "2024-05-01T09:05:00Z"), Instant.parse("2024-05-01T09:06:00Z"));
            List<TestRecord<String, byte[]>> emitted = alerts.readRecordsToList();
            assertFalse(emitted.isEmpty(), "StopLogging is an alert");
            for (TestRecord<String, byte[]> record : emitted) {
                assertEquals(Optional.empty(), check.refusal(Topics.ALERTS, record.value(), record.headers()));
                assertEquals(2, record.headers().toArray().length, "the signature and its key id, nothing inherited");
            }
            List<TestRecord<String, byte[]>> incidentRecords = incidents.readRecordsToList();
            assertFalse(incidentRecords.isEmpty());
            for (TestRecord<String, byte[]> record : incidentRecords) {
                assertEquals(Optional.empty(), check.refusal(Topics.INCIDENTS, record.value(), record.headers()));
                assertTrue(check.refusal(Topics.ALERTS, record.value(), record.headers()).isPresent(), "bound to its topic");
            }
        }
    }

    @Test
    void shouldLeaveRecordsUnsignedWithoutAKeyAsScansDo() throws Exception {
        try (TopologyFixture t = new TopologyFixture(dir.resolve("state"))) {
            TestOutputTopic<String, byte[]> alerts = t.driver.createOutputTopic(Topics.ALERTS, new StringDeserializer(),
                    new ByteArrayDeserializer());
            t.pipe(stopLogging("s-1", "2024-05-01T09:05:00Z"), Instant.parse("2024-05-01T09:06:00Z"));
            TestRecord<String, byte[]> record = alerts.readRecord();
            assertNull(record.headers().lastHeader(RecordSignature.SIGNATURE));
        }
    }

    @Test
    void shouldRefuseToStartTheLiveApplicationWithoutAKeyUnlessToldThisIsDevelopment() throws Exception {
        Map<String, Object> settings = Map.of(StreamProcessorConfig.STATE_DIR_CONFIG, dir.toString(),
                StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        ConfigException e = assertThrows(ConfigException.class, () -> new StreamProcessorApp(settings));
        assertTrue(e.getMessage().contains(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG), e.getMessage());
        Map<String, Object> missing = Map.of(StreamProcessorConfig.STATE_DIR_CONFIG, dir.toString(),
                StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG, dir.resolve("absent.key").toString());
        assertThrows(ConfigException.class, () -> new StreamProcessorApp(missing));
        Map<String, Object> development = Map.of(StreamProcessorConfig.STATE_DIR_CONFIG, dir.toString(),
                StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9", StreamProcessorConfig.SIGNING_REQUIRED_CONFIG, "false");
        new StreamProcessorApp(development).close();
    }

    private static String stopLogging(String id, String time) throws Exception {
        ObjectNode caller = MAPPER.createObjectNode();
        caller.put("type", "IAMUser").put("accountId", "111111111111").put("arn", "arn:aws:iam::111111111111:user/alice")
                .put("userName", "alice").put("accessKeyId", "AKIAALICE").put("principalId", "AIDAALICE");
        ObjectNode e = MAPPER.createObjectNode();
        e.put("eventID", id).put("eventTime", time).put("eventSource", "cloudtrail.amazonaws.com").put("eventName", "StopLogging")
                .put("awsRegion", "us-east-1").put("recipientAccountId", "111111111111")
                .put("sourceIPAddress", "198.51.100.7").put("userAgent", "aws-cli/2.15.0");
        e.set("userIdentity", caller);
        e.putObject("requestParameters").put("name", "main");
        return MAPPER.writeValueAsString(e);
    }
}
