package io.trailhound.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.streams.StreamsConfig;

import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;

/**
 * Runs each service's own start-up validation against a configuration taken from a deployment file, and reports every key
 * the service would not accept. Each method throws with the file's name in the message.
 */
final class ServiceConfigs {

    private ServiceConfigs() {
    }

    /**
     * The stream processor: {@link StreamProcessorConfig} (unknown {@code trailhound.} keys, invalid values, rule ids) and,
     * for the pass-through keys, {@link StreamsConfig}, which must define each of them.
     */
    static StreamProcessorConfig streamProcessor(String source, Map<String, Object> settings) {
        StreamProcessorConfig config = new StreamProcessorConfig(settings, RuleCatalog.builtIn());
        Set<String> ours = StreamProcessorConfig.configDef().names();
        Set<String> streamsKeys = StreamsConfig.configDef().names();
        Map<String, Object> streams = new HashMap<>();
        Set<String> unknown = new TreeSet<>();
        settings.forEach((key, value) -> {
            if (!key.startsWith("trailhound.") && !io.trailhound.topic.ClientSettings.isRegistry(key)) {
                streams.put(key, value);
                if (!ours.contains(key) && !streamsKeys.contains(key)) {
                    unknown.add(key);
                }
            }
        });
        if (!unknown.isEmpty()) {
            throw new AssertionError(source + ": keys neither the stream processor nor Kafka Streams define: " + unknown);
        }
        new StreamsConfig(streams);
        return config;
    }

    /** The responder: {@link ResponderConfig} rejects unknown keys and invalid values itself. */
    static ResponderConfig responder(String source, Map<String, Object> settings) {
        try {
            return new ResponderConfig(settings);
        } catch (RuntimeException e) {
            throw new AssertionError(source + ": " + e.getMessage(), e);
        }
    }

    /** A Connect worker: {@link DistributedConfig} validates values; every key must be one it defines. */
    static void connectWorker(String source, Map<String, String> settings) {
        DistributedConfig config = new DistributedConfig(settings);
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(config.values().keySet());
        if (!unknown.isEmpty()) {
            throw new AssertionError(source + ": keys the Connect worker does not define: " + unknown);
        }
    }

    /**
     * A connector: each key is a Connect connector key or one of the connector's own {@link ConfigDef}; the connector's
     * {@code config().validate} (the offline part of {@code Connector.validate}) reports no error.
     */
    static void connector(String source, String connectorClass, Map<String, String> settings) {
        SourceConnector connector = instantiate(source, connectorClass);
        ConfigDef own = connector.config();
        Set<String> known = new TreeSet<>(own.names());
        known.addAll(SourceConnectorConfig.configDef().names());
        Set<String> unknown = new TreeSet<>();
        for (String key : settings.keySet()) {
            if (!known.contains(key) && !key.startsWith(SourceConnectorConfig.TOPIC_CREATION_PREFIX)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new AssertionError(source + ": keys " + connectorClass + " does not accept: " + unknown);
        }
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConfigValue value : own.validate(settings)) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        if (!errors.isEmpty()) {
            throw new AssertionError(source + ": " + connectorClass + " rejects " + errors);
        }
    }

    private static SourceConnector instantiate(String source, String connectorClass) {
        try {
            Class<?> type = Class.forName(connectorClass);
            if (!SourceConnector.class.isAssignableFrom(type)) {
                throw new AssertionError(source + ": " + connectorClass + " is not a source connector");
            }
            return (SourceConnector) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(source + ": no connector class " + connectorClass, e);
        }
    }
}
