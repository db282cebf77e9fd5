package io.trailhound.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import io.trailhound.serde.RegistryCheck;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.topic.ClientSettings;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are, and how to connect to them: the options every such command shares. */
final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081/apis/ccompat/v7",
        description = "Schema registry base URL, Confluent API (default: ${DEFAULT-VALUE}).")
    private String registryUrl;

    @Option(names = "--command-config", paramLabel = "FILE",
        description = {"Properties file with the connection's security settings, as Kafka's own tools take it: security.protocol,",
            "sasl.*, ssl.* for Kafka; schema.registry.ssl.*, basic.auth.credentials.source, basic.auth.user.info for the registry."})
    private Path commandConfig;

    private Map<String, String> fileSettings;
    private Topics topics;

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The bootstrap address and the Kafka security settings of --command-config: what every Kafka client of the command gets. */
    Map<String, Object> connection() {
        Map<String, Object> connection = ClientSettings.kafka(fileSettings());
        connection.put(ClientSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        return connection;
    }

    /** {@link #connection()} plus a client's own settings. */
    Map<String, Object> connection(Map<String, ?> more) {
        Map<String, Object> connection = connection();
        connection.putAll(more);
        return connection;
    }

    /** The schema registry's URL with its TLS, basic-auth and retry settings of --command-config. */
    Map<String, Object> registry() {
        Map<String, Object> registry = ClientSettings.registry(fileSettings());
        registry.put("schema.registry.url", registryUrl);
        return registry;
    }

    /**
     * Every topic, with serdes on the configured registry (its TLS and basic-auth settings included); registry credentials
     * it refuses, or its certificate not trusted, fail here in one line.
     */
    synchronized Topics topics() {
        if (topics == null) {
            // checked once: a command that asks again gets the same topics and registry client
            SchemaRegistryClient client = SchemaRegistryClient.create(registry());
            RegistryCheck.atStartup(client, Topics.ALERTS + "-value");
            topics = new Topics(client, registry());
        }
        return topics;
    }

    /** The --command-config file's settings; a missing file, an unreadable one or a key that is not a connection setting fails. */
    private synchronized Map<String, String> fileSettings() {
        if (fileSettings == null) {
            fileSettings = commandConfig == null ? Map.of() : read(commandConfig);
        }
        return fileSettings;
    }

    static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("--command-config " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        Map<String, String> settings = new HashMap<>();
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (ClientSettings.isKafkaConnection(key) || ClientSettings.isRegistry(key)) {
                settings.put(key, properties.getProperty(key));
            } else {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--command-config " + file + ": " + unknown + " are not Kafka security or schema"
                + " registry settings (security.protocol, sasl.*, ssl.*, schema.registry.*, basic.auth.*)");
        }
        return settings;
    }
}
