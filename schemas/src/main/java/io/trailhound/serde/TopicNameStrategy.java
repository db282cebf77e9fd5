package io.trailhound.serde;

/** Confluent's default subject naming: {@code <topic>-key} for keys and {@code <topic>-value} for values. */
public final class TopicNameStrategy {

    private TopicNameStrategy() {
    }

    /** The subject under which the key or value schema of {@code topic} is registered. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
