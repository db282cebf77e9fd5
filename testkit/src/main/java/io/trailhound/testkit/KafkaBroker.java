package io.trailhound.testkit;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

/** A running Kafka broker a test can talk to, whichever way it was started (in the JVM or in a container). */
public interface KafkaBroker {

    /** The bootstrap address, e.g. {@code localhost:39211}. */
    String bootstrapServers();

    /** A shared admin client; do not close it. */
    Admin admin();

    /** Creates a topic (idempotent: an existing topic is left as it is). */
    void createTopic(String name, int partitions, Map<String, String> config);

    /** Creates a topic with default settings. */
    default void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }
}
