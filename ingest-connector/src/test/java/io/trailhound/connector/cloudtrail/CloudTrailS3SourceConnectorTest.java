package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class CloudTrailS3SourceConnectorTest {

    private static final Map<String, String> CONFIG = Map.of("location", "s3://org-trail/logs");
    private static final String KEY = "logs/AWSLogs/111111111111/CloudTrail/us-east-1/2024/05/01/f.json.gz";

    private final CloudTrailS3SourceConnector connector = new CloudTrailS3SourceConnector();

    @Test
    void shouldAcceptAValidRewindAndAReset() {
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "index", 4, "eof", false));
        offsets.put(partition("s3://org-trail/logs/", "222222222222"), null);

        assertTrue(connector.alterOffsets(CONFIG, offsets));
    }

    @Test
    void shouldRejectOffsetsThatCannotBeResumed() {
        assertRejected(partition("s3://other-bucket/", "111111111111"), Map.of("key", KEY), "is not this connector's");
        assertRejected(partition("s3://org-trail/logs/", "1111"), Map.of("key", KEY), "12 digits");
        assertRejected(partition("s3://org-trail/logs/", "111111111111"), Map.of("index", 3), "non-empty string 'key'");
        assertRejected(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "index", -5), "'index'");
        assertRejected(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "eof", "yes"), "'eof'");
        assertRejected(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "line", 1), "unknown offset field");
        assertRejected(partition("s3://org-trail/logs/", "222222222222"), Map.of("key", KEY), "must lie below");
        assertRejected(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "after", "elsewhere/x", "recent", ""),
            "offset after must lie below");
        assertRejected(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "recent", 5), "'recent' must be a string");
    }

    @Test
    void shouldAcceptAnOffsetWithItsLateFileWindow() {
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition("s3://org-trail/logs/", "111111111111"), Map.of("key", KEY, "index", 4, "eof", true,
            "after", "logs/AWSLogs/111111111111/CloudTrail/us-east-1/2024/05/01/111111111111_CloudTrail_us-east-1_20240501T0000Z",
            "recent", "20240501T0005Z_a1,20240501T0010Z_b2"));

        assertTrue(connector.alterOffsets(CONFIG, offsets));
        CloudTrailOffset read = CloudTrailOffset.fromMap(offsets.values().iterator().next());
        assertEquals("20240501T0005Z_a1,20240501T0010Z_b2", read.recent());
        assertEquals(read, CloudTrailOffset.fromMap(read.toMap()));
    }

    @Test
    void shouldDeclareExactlyOnceAndShareOutTasks() {
        connector.start(CONFIG);

        List<Map<String, String>> tasks = connector.taskConfigs(3);

        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(CONFIG));
        Map<String, String> notified = new HashMap<>(CONFIG);
        notified.put(CloudTrailS3SourceConfig.NOTIFICATIONS_QUEUE_CONFIG, "https://sqs.us-east-1.amazonaws.com/111122223333/trail");
        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(notified), "one task: offsets tell redeliveries");
        notified.put("tasks.max", "2");
        assertEquals(ExactlyOnceSupport.UNSUPPORTED, connector.exactlyOnceSupport(notified), "two tasks could read one file each");
        assertEquals(3, tasks.size());
        assertEquals("2", tasks.get(2).get("task.index"));
        assertEquals("3", tasks.get(2).get("task.count"));
    }

    @Test
    void shouldReadOffsetsToleratingMissingFields() {
        assertEquals(new CloudTrailOffset("k", -1, true), CloudTrailOffset.fromMap(Map.of("key", "k")));
        assertEquals(new CloudTrailOffset("k", 7, false), CloudTrailOffset.fromMap(Map.of("key", "k", "index", 7L, "eof", false)));
        assertEquals(null, CloudTrailOffset.fromMap(Map.of("index", 7L)));
    }

    @Test
    void shouldKeepSourcePartitionBytesStableThroughConnectsJsonRoundTrip() {
        // Connect finds offsets by the partition's serialized bytes; REST GET/PATCH /offsets re-serializes what it read.
        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "false"), true);
        Map<String, String> partition = TrailPartition.of(TrailLocation.parse("s3://org-trail/logs"), "o-a1b2c3d4e5", "111111111111",
            "us-east-1").sourcePartition();

        byte[] written = json.fromConnectData("offsets", null, List.of("connector", partition));
        Object read = json.toConnectData("offsets", written).value();
        byte[] rewritten = json.fromConnectData("offsets", null, read);

        assertEquals(new String(written, StandardCharsets.UTF_8), new String(rewritten, StandardCharsets.UTF_8));
    }

    private void assertRejected(Map<String, ?> partition, Map<String, ?> offset, String reasonPart) {
        ConnectException e = assertThrows(ConnectException.class, () -> connector.alterOffsets(CONFIG, Map.of(partition, offset)));
        assertTrue(e.getMessage().contains(reasonPart), e.getMessage());
    }

    private static Map<String, ?> partition(String location, String account) {
        return Map.of("location", location, "org", "", "account", account, "region", "us-east-1");
    }
}
