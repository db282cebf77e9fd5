package io.trailhound.topic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.serde.AvroSerdeConfig;
import io.trailhound.serde.RegisteredSchema;
import io.trailhound.serde.SchemaRegistryClient;

/** The topic registry: every DESIGN.md topic once, replay topics apart from live ones, the right cleanup policies. */
class TopicsTest {

    private static final Map<String, Object> SERDE_CONFIG = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
            "http://127.0.0.1:8081/apis/ccompat/v7");

    private final Topics topics = new Topics(SERDE_CONFIG);

    @Test
    void shouldDefineEveryTopicOfTheDesignOnce() {
        List<String> names = topics.all().stream().map(Topic::name).toList();

        assertEquals(Set.of("trailhound.cloudtrail.raw", "trailhound.guardduty.raw", "trailhound.iam.snapshots", "trailhound.events",
                "trailhound.lineage", "trailhound.alerts", "trailhound.signals", "trailhound.incidents", "trailhound.access.summaries",
                "trailhound.response.approvals",
                "trailhound.response.actions",
                "trailhound.deadletter"), Set.copyOf(names));
        assertEquals(names.size(), new HashSet<>(names).size(), "names are unique");
    }

    @Test
    void shouldNeverNameAReplayTopicLikeALiveOne() {
        Set<String> live = topics.all().stream().map(Topic::name).collect(Collectors.toSet());
        ReplayTopics first = topics.replay("2025-03-01-a");
        ReplayTopics second = topics.replay("2025-03-01-b");

        List<String> replayNames = Stream.of(first, second)
                .flatMap(r -> Stream.of(r.events(), r.lineage(), r.alerts(), r.signals(), r.incidents()))
                .map(Topic::name)
                .toList();

        assertEquals("trailhound.replay.2025-03-01-a.alerts", first.alerts().name());
        assertEquals(10, new HashSet<>(replayNames).size(), "each replay has its own topics");
        replayNames.forEach(name -> assertFalse(live.contains(name), name + " is a live topic name"));
        live.forEach(name -> assertFalse(name.startsWith(Topics.REPLAY_PREFIX), name + " looks like a replay topic"));
    }

    @Test
    void shouldRejectReplayIdsThatCouldEscapeTheReplayNamespace() {
        for (String bad : new String[] {"", "a.b", "../alerts", "x y", "a".repeat(101)}) {
            assertThrows(IllegalArgumentException.class, () -> topics.replay(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> topics.replay(null));
    }

    @Test
    void shouldCompactOnlyTheLatestStateTopics() {
        Set<String> compacted = topics.all().stream().filter(Topic::isCompacted).map(Topic::name).collect(Collectors.toSet());

        assertEquals(Set.of(Topics.INCIDENTS, Topics.IAM_SNAPSHOTS, Topics.LINEAGE, Topics.ACCESS_SUMMARIES), compacted);
        assertTrue(topics.replay("r1").incidents().isCompacted());
    }

    @Test
    void shouldKeepTheRawForensicCopyLongerThanTheDerivedEvents() {
        long raw = retentionMs(topics.cloudTrailRaw());

        assertTrue(raw >= Duration.ofDays(90).toMillis());
        assertEquals(raw, retentionMs(topics.guardDutyRaw()));
        assertTrue(raw > retentionMs(topics.events()));
        assertTrue(retentionMs(topics.replay("r1").alerts()) < retentionMs(topics.alerts()), "replays are short-lived");
        ReplayTopics replay = topics.replay("r1");
        Stream.of(replay.events(), replay.lineage(), replay.alerts(), replay.incidents()).forEach(topic -> assertEquals("LogAppendTime",
                topic.config().get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG), topic.name() + ": history's event time must not expire it"));
        assertFalse(topics.lineage().config().containsKey(TopicConfig.RETENTION_MS_CONFIG), "lineage expires by tombstones, not by time");
    }

    @Test
    void shouldPassRawBytesThroughUnchanged() {
        byte[] original = "{\"eventID\":\"x\", \"eventTime\" : \"2025-03-01T09:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
        Topic<String, byte[]> raw = topics.cloudTrailRaw();

        byte[] written = raw.valueSerde().serializer().serialize(raw.name(), original);

        assertArrayEquals(original, written);
        assertArrayEquals(original, raw.valueSerde().deserializer().deserialize(raw.name(), written));
    }

    @Test
    void shouldKeepTopicConfigImmutable() {
        Map<String, String> config = topics.alerts().config();

        assertThrows(UnsupportedOperationException.class, () -> config.put(TopicConfig.RETENTION_MS_CONFIG, "1"));
    }

    @Test
    void shouldDescribeItselfAsANewTopic() {
        NewTopic newTopic = topics.incidents().newTopic((short) 3);

        assertEquals(Topics.INCIDENTS, newTopic.name());
        assertEquals(topics.incidents().partitions(), newTopic.numPartitions());
        assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, newTopic.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
    }

    @Test
    void shouldRejectIllegalTopics() {
        assertThrows(IllegalArgumentException.class, () -> new Topic<>("bad name", Serdes.String(), Serdes.String(), Map.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> new Topic<>("ok", Serdes.String(), Serdes.String(), Map.of(), 0));
    }

    @Test
    void shouldSerializeEveryAvroTopicThroughTheOneGivenClient() {
        RecordingClient client = new RecordingClient();
        Topics shared = new Topics(client, Map.of());
        Alert alert = Alert.newBuilder().setAlertId("a-1").build();

        shared.alerts().valueSerde().serializer().serialize(shared.alerts().name(), alert);
        shared.replay("r1").alerts().valueSerde().serializer().serialize(shared.replay("r1").alerts().name(), alert);

        assertEquals(List.of("trailhound.alerts-value", "trailhound.replay.r1.alerts-value"), client.subjects);
    }

    private static long retentionMs(Topic<?, ?> topic) {
        return Long.parseLong(topic.config().get(TopicConfig.RETENTION_MS_CONFIG));
    }

    /** Records the subjects it is asked to register under; everything else is unused here. */
    private static final class RecordingClient implements SchemaRegistryClient {
        private final List<String> subjects = new ArrayList<>();

        @Override
        public int register(String subject, Schema schema) {
            subjects.add(subject);
            return 1;
        }

        @Override
        public RegisteredSchema lookup(String subject, Schema schema) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RegisteredSchema latest(String subject) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Schema schemaById(int id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "recording";
        }
    }
}
