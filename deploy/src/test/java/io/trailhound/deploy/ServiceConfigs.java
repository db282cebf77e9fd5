package io.trailhound.deploy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.runtime.ConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.transforms.Transformation;
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
                // the Kafka connection and security keys (#19) reach every client of the app, config providers included; Kafka
                // Streams hands unprefixed consumer settings (group.instance.id, #17) to its consumers
                if (!ours.contains(key) && !streamsKeys.contains(key) && !io.trailhound.topic.ClientSettings.isKafkaConnection(key)
                    && !ConsumerConfig.configNames().contains(key)) {
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
     * A connector: each key is a Connect connector key, one of the connector's own {@link ConfigDef} or a key of one of its
     * {@code transforms} (each transform's {@code config()} must define and accept it); the connector's
     * {@code config().validate} (the offline part of {@code Connector.validate}) reports no error.
     */
    static void connector(String source, String connectorClass, Map<String, String> settings) {
        SourceConnector connector = instantiate(source, connectorClass);
        ConfigDef own = connector.config();
        Set<String> known = new TreeSet<>(own.names());
        known.addAll(SourceConnectorConfig.configDef().names());
        known.addAll(transforms(source, settings));
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

    /** The keys of the connector's transforms, each checked against its transform's {@link ConfigDef}. */
    private static Set<String> transforms(String source, Map<String, String> settings) {
        Set<String> keys = new TreeSet<>();
        String aliases = settings.getOrDefault(ConnectorConfig.TRANSFORMS_CONFIG, "");
        for (String alias : aliases.split(",")) {
            if (alias.isBlank()) {
                continue;
            }
            String prefix = ConnectorConfig.TRANSFORMS_CONFIG + "." + alias.trim() + ".";
            String type = settings.get(prefix + "type");
            if (type == null) {
                throw new AssertionError(source + ": transform " + alias + " has no " + prefix + "type");
            }
            ConfigDef definition = transformation(source, type).config();
            Map<String, String> own = new TreeMap<>();
            settings.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    keys.add(key);
                    String name = key.substring(prefix.length());
                    if (!Set.of("type", "predicate", "negate").contains(name)) {
                        own.put(name, value);
                    }
                }
            });
            Set<String> unknown = new TreeSet<>(own.keySet());
            unknown.removeAll(definition.names());
            if (!unknown.isEmpty()) {
                throw new AssertionError(source + ": keys transform " + type + " does not define: " + unknown);
            }
            for (ConfigValue value : definition.validate(own)) {
                if (!value.errorMessages().isEmpty()) {
                    throw new AssertionError(source + ": transform " + type + " rejects " + value.name() + ": " + value.errorMessages());
                }
            }
        }
        return keys;
    }

    private static Transformation<?> transformation(String source, String type) {
        try {
            Class<?> transform = Class.forName(type);
            if (!Transformation.class.isAssignableFrom(transform)) {
                throw new AssertionError(source + ": " + type + " is not a Connect transformation");
            }
            return (Transformation<?>) transform.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(source + ": no transformation class " + type, e);
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
