package io.trailhound.topic;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * One Kafka topic with everything needed to use it: its name, the serdes of its keys and values, and the broker-side topic
 * configuration it should be created with.
 *
 * @param name       topic name
 * @param keySerde   serde of record keys
 * @param valueSerde serde of record values
 * @param config     topic-level broker configuration (e.g. {@code cleanup.policy}, {@code retention.ms}), immutable
 * @param partitions partition count to create the topic with
 * @param <K>        key type
 * @param <V>        value type
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> config, int partitions) {

    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        config = Map.copyOf(config);
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + " needs at least one partition, was " + partitions);
        }
        if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("illegal topic name '" + name + "': use 1 to 249 of [a-zA-Z0-9._-]");
        }
    }

    /** Whether the broker keeps only the latest record per key. */
    public boolean isCompacted() {
        return config.getOrDefault("cleanup.policy", "delete").contains("compact");
    }

    /** A request to create this topic with its partitions and configuration. */
    public NewTopic newTopic(short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor).configs(config);
    }
}
