package io.trailhound.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same broker contract as {@link KafkaBrokerExtension}, but in an Apache Kafka container (Testcontainers).
 * Tests using it are skipped, not failed, where no Docker engine runs.
 */
public class DockerKafkaBrokerExtension extends KafkaBrokerExtension implements ExecutionCondition {

    /** The official Apache Kafka image, KRaft mode. */
    public static final String IMAGE = "apache/kafka:4.3.1";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return dockerAvailable()
            ? ConditionEvaluationResult.enabled("Docker is available")
            : ConditionEvaluationResult.disabled("No Docker engine: the in-JVM KafkaBrokerExtension covers this scenario here");
    }

    /** Whether a Docker engine answers; never throws. */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    protected RunningKafkaBroker startBroker(Map<String, String> brokerOverrides) {
        KafkaContainer container = new KafkaContainer(IMAGE);
        brokerOverrides.forEach((k, v) -> container.withEnv("KAFKA_" + k.toUpperCase().replace('.', '_'), v));
        container.start();
        return new ContainerBroker(container);
    }

    /** A started container with its admin client. */
    private static final class ContainerBroker implements RunningKafkaBroker {
        private final KafkaContainer container;
        private final Admin admin;

        ContainerBroker(KafkaContainer container) {
            this.container = container;
            this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, container.getBootstrapServers()));
        }

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public Admin admin() {
            return admin;
        }

        @Override
        public void createTopic(String name, int partitions, Map<String, String> config) {
            try {
                admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(config)))
                    .all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Could not create topic " + name + " in the Kafka container", e);
            }
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
            container.stop();
        }
    }
}
