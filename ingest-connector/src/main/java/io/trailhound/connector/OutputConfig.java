package io.trailhound.connector;

import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The output keys every connector shares: the topic, the dead-letter topic and the largest record forwarded; each
 * connector's config extends this class, which defines the keys ({@link #define}) and reads them.
 */
public abstract class OutputConfig extends AbstractConfig {

    public static final String TOPIC_CONFIG = "topic";
    public static final String DEADLETTER_TOPIC_CONFIG = "deadletter.topic";
    public static final String MAX_RECORD_BYTES_CONFIG = "max.record.bytes";
    public static final String DEFAULT_DEADLETTER_TOPIC = "trailhound.deadletter";
    /** Value of the dead-letter {@code component} header ({@link io.trailhound.topic.DeadLetters#COMPONENT}). */
    public static final String COMPONENT = "connector";

    /** @param definition a ConfigDef holding the keys of {@link #define} */
    protected OutputConfig(ConfigDef definition, Map<String, String> props) {
        super(definition, props);
    }

    public String topic() {
        return getString(TOPIC_CONFIG);
    }

    public String deadLetterTopic() {
        return getString(DEADLETTER_TOPIC_CONFIG);
    }

    public int maxRecordBytes() {
        return getInt(MAX_RECORD_BYTES_CONFIG);
    }

    /** Adds {@code topic} (defaulting to {@code defaultTopic}, documented by {@code topicDoc}) and the dead-letter keys. */
    public static ConfigDef define(ConfigDef definition, String defaultTopic, String topicDoc) {
        return definition
            .define(TOPIC_CONFIG, Type.STRING, defaultTopic, new ConfigDef.NonEmptyString(), Importance.MEDIUM, topicDoc)
            .define(DEADLETTER_TOPIC_CONFIG, Type.STRING, DEFAULT_DEADLETTER_TOPIC, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "Topic receiving what cannot be forwarded (unreadable input, oversized records), with the headers of "
                    + "io.trailhound.topic.DeadLetters (reason, location, component=connector).")
            .define(MAX_RECORD_BYTES_CONFIG, Type.INT, 1_000_000, Range.between(1024, 64 * 1024 * 1024), Importance.MEDIUM,
                "Largest record forwarded; a larger one goes to the dead-letter topic (keep below the producer's max.request.size).");
    }
}
