package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

import io.trailhound.serde.AvroSerde;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code trailhound topics}: lists every topic with its types and settings, and creates the missing ones on a cluster. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = {"List every Trailhound topic with its key and value types, partitions and retention.",
        "With --create, create the missing ones on a Kafka cluster with those settings (existing topics are left alone)."})
final class TopicsCommand implements Callable<Integer> {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    private CommandSpec spec;

    @Option(names = "--create", description = "Create missing topics on the cluster.")
    private boolean create;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--replication-factor", paramLabel = "N",
        description = "Replication factor for created topics (default: the broker's default.replication.factor).")
    private Short replicationFactor;

    @Override
    public Integer call() throws InterruptedException {
        // Listing needs no registry: serdes contact it only when they serialize.
        Topics topics = kafka.topics();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-32s %-8s %-16s %10s  %-14s %s%n", "TOPIC", "KEY", "VALUE", "PARTITIONS", "CLEANUP", "RETENTION");
        for (Topic<?, ?> topic : topics.all()) {
            out.printf("%-32s %-8s %-16s %10d  %-14s %s%n", topic.name(), typeOf(topic.keySerde()), typeOf(topic.valueSerde()),
                topic.partitions(), topic.config().getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"), retention(topic));
        }
        return create ? createMissing(topics.all(), out) : 0;
    }

    private int createMissing(List<Topic<?, ?>> wanted, PrintWriter out) throws InterruptedException {
        try (Admin admin = Admin.create(kafka.connection(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis())))) {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : wanted) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.ofNullable(replicationFactor))
                        .configs(topic.config()));
                }
            }
            admin.createTopics(missing).all().get(ADMIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            out.printf("%nCreated %d topic(s) on %s; %d already existed.%n", missing.size(), kafka.bootstrapServers(),
                wanted.size() - missing.size());
            return 0;
        } catch (TimeoutException e) {
            return unreachable();
        } catch (ExecutionException e) {
            // The client's own timeout (the same length as ours) may end the call before our wait does: no broker either.
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                return unreachable();
            }
            spec.commandLine().getErr().printf("Kafka at %s refused: %s%n", kafka.bootstrapServers(), e.getCause().getMessage());
            return 2;
        }
    }

    private int unreachable() {
        spec.commandLine().getErr().printf("Cannot reach Kafka at %s within %ds. Is a broker running there? "
            + "Pass --bootstrap-server or set TRAILHOUND_BOOTSTRAP_SERVER.%n", kafka.bootstrapServers(), ADMIN_TIMEOUT.toSeconds());
        return 2;
    }

    private static String typeOf(Serde<?> serde) {
        if (serde instanceof AvroSerde<?> avro) {
            return avro.recordType().map(Class::getSimpleName).orElse("Avro");
        }
        String name = serde.getClass().getSimpleName();
        return name.endsWith("Serde") ? name.substring(0, name.length() - "Serde".length()) : name;
    }

    private static String retention(Topic<?, ?> topic) {
        String ms = topic.config().get(TopicConfig.RETENTION_MS_CONFIG);
        if (ms == null) {
            return topic.isCompacted() ? "latest per key" : "broker default";
        }
        return Duration.ofMillis(Long.parseLong(ms)).toDays() + " days";
    }
}
