package io.trailhound.deploy;

import java.util.Map;
import java.util.TreeMap;

import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/** What every deployment must create: the live topics of {@link Topics}, with their partitions and configuration. */
final class TopicExpectations {

    /** Partitions and broker-side configuration of one topic. */
    record Settings(int partitions, Map<String, String> config) {
    }

    private TopicExpectations() {
    }

    /** Every live topic by name; the serdes are never used, so the registry address is never contacted. */
    static Map<String, Settings> expected() {
        Map<String, Settings> expected = new TreeMap<>();
        for (Topic<?, ?> topic : new Topics(Map.of("schema.registry.url", "http://127.0.0.1:9")).all()) {
            expected.put(topic.name(), new Settings(topic.partitions(), new TreeMap<>(topic.config())));
        }
        return expected;
    }
}
