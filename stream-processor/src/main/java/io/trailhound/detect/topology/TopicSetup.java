package io.trailhound.detect.topology;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.topic.ClientSettings;

/** Creates the topics the stream processor writes and owns when they are missing (an existing topic is left as it is). */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private TopicSetup() {
    }

    /**
     * Creates each of {@code topics} that does not exist yet, with the broker's default replication factor, and returns once every
     * partition of each has a leader: a topic just created may not be in the brokers' metadata yet, and a global store
     * initialised from it then fails with "no partitions available".
     */
    public static void ensure(String bootstrapServers, List<NewTopic> topics) {
        ensure(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topics);
    }

    /** Like {@link #ensure(String, List)}, connecting with {@code connection} (bootstrap and Kafka security settings). */
    public static void ensure(Map<String, ?> connection, List<NewTopic> topics) {
        try (Admin admin = Admin.create(ClientSettings.kafka(connection))) {
            CreateTopicsResult result = admin.createTopics(topics);
            for (NewTopic topic : topics) {
                try {
                    result.values().get(topic.name()).get(30, TimeUnit.SECONDS);
                    LOG.info("created topic {}", topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topics " + topics.stream().map(NewTopic::name).toList(), e);
        }
    }

    private static void awaitLeaders(Admin admin, List<NewTopic> topics) throws InterruptedException, TimeoutException {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                boolean ready = described.values().stream()
                    .allMatch(d -> !d.partitions().isEmpty() && d.partitions().stream().allMatch(p -> p.leader() != null));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics " + names + ": " + e.getCause(), e.getCause());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + names + " have no leader for every partition after 30 s");
            }
            Thread.sleep(100);
        }
    }
}
