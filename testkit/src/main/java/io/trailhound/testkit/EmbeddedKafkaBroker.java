package io.trailhound.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import kafka.server.BrokerServer;

/**
 * A real KRaft Kafka broker (combined broker and controller) in this JVM on a random loopback port.
 * It wraps Kafka's internal test kit, so this is the only class that knows that API.
 */
public final class EmbeddedKafkaBroker implements RunningKafkaBroker {

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    /** Formats and starts a single-node cluster with the defaults a one-broker cluster needs, plus overrides. */
    public static EmbeddedKafkaBroker start(Map<String, String> overrides) throws Exception {
        KnownBrokerNoise.install();
        Path dir = Files.createTempDirectory("trailhound-kafka-");
        TestKitNodes nodes = new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBaseDirectory(dir)
            .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
        Map<String, String> props = new HashMap<>(singleNodeDefaults());
        props.putAll(overrides);
        props.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new EmbeddedKafkaBroker(cluster);
    }

    /** Settings without which transactions, consumer groups and Streams stall on a single broker. */
    static Map<String, String> singleNodeDefaults() {
        Map<String, String> props = new HashMap<>();
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return props;
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public Admin admin() {
        return admin;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> config) {
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(config);
        try {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name + " on " + bootstrapServers(), e);
        }
        awaitLeaders(name, partitions);
    }

    /**
     * Waits until the broker's metadata shows every partition of {@code name} with a leader: the controller acknowledges a
     * creation before the broker serves it, and a client asking at once (under load) is told the topic does not exist.
     */
    private void awaitLeaders(String name, int partitions) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (hasLeaders(name, partitions)) {
                    return;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topic " + name, e);
        }
        throw new IllegalStateException("Topic " + name + " was created but its partitions have no leader after " + ADMIN_TIMEOUT);
    }

    private boolean hasLeaders(String name, int partitions) throws InterruptedException {
        try {
            TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(name);
            return d != null && d.partitions().size() >= partitions && d.partitions().stream().allMatch(p -> p.leader() != null);
        } catch (ExecutionException | TimeoutException notYet) {
            // unknown to the broker so far: ask again
            return false;
        }
    }

    /**
     * Stops the broker (the controller keeps running) without closing the cluster: clients see connections refused, as when a
     * broker pod is restarted. {@link #startBrokerAgain()} brings it back on the same port with its logs.
     */
    public void stopBroker() {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    /** Starts the broker stopped by {@link #stopBroker()} and waits until it serves requests again. */
    public void startBrokerAgain() throws Exception {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.startup();
        }
        cluster.waitForReadyBrokers();
    }

    @Override
    public void close() throws Exception {
        admin.close(Duration.ofSeconds(5));
        cluster.close();
    }
}
