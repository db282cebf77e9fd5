package io.trailhound.cli;

import java.util.Map;

import io.trailhound.topic.Topics;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are: the options every command that talks to them shares. */
final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    private String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL", defaultValue = "http://127.0.0.1:8081/apis/ccompat/v7",
        description = "Schema registry base URL, Confluent API (default: ${DEFAULT-VALUE}).")
    private String registryUrl;

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Every topic, with serdes on the configured registry. */
    Topics topics() {
        return new Topics(Map.of("schema.registry.url", registryUrl));
    }
}
