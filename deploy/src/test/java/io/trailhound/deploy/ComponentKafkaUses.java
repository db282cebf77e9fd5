package io.trailhound.deploy;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.Worker;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.internals.InternalTopologyBuilder;
import org.apache.kafka.streams.processor.internals.ProcessorTopology;
import org.apache.kafka.streams.processor.internals.TopologyMetadata;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;

import io.trailhound.deploy.KafkaAcls.Resource;
import io.trailhound.deploy.KafkaAcls.Use;
import io.trailhound.detect.topology.DeadLetterHandler;
import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.topic.Topics;

/**
 * What each component does on Kafka, derived from its code and deployed configuration rather than listed by hand, so a topic,
 * group or transactional id added to a component shows up here by itself (and then fails {@code KafkaUserAclsTest} until its
 * KafkaUser allows it).
 */
final class ComponentKafkaUses {

    /** A consumer reads a topic (fetch) and looks it up (metadata, offsets). */
    private static final String[] READS = {"Read", "Describe"};
    /** A producer writes a topic and looks it up. */
    private static final String[] WRITES = {"Write", "Describe"};
    /**
     * Topics a client owns: creates them when missing (Create, after a Describe), reads and writes them, checks their
     * configuration (Kafka Streams and Connect verify internal topics' cleanup policy: DescribeConfigs).
     */
    private static final String[] OWNS = {"Read", "Write", "Describe", "Create", "DescribeConfigs"};
    /** A transactional producer: finds its coordinator (Describe) and initialises, writes and commits (Write). */
    private static final String[] TRANSACTIONS = {"Write", "Describe"};

    private ComponentKafkaUses() {
    }

    /**
     * The stream processor as it runs: the Kafka Streams instance {@link StreamProcessorApp} built (every sub-topology, whatever
     * adds it: source, sink, repartition and changelog topics with their full names, the global stores' topics), the topics its
     * start-up creates ({@code TopicSetup}), the dead-letter topic its handlers write, its consumer group and, with exactly once,
     * its transactional ids ({@code <application.id>-<process id>-<thread>}).
     */
    static List<Use> streamProcessor(StreamProcessorApp app) {
        Properties streamsProperties = (Properties) field(StreamProcessorApp.class, app, "properties");
        List<Use> uses = new ArrayList<>();
        String applicationId = streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        TopologyMetadata metadata = (TopologyMetadata) field(KafkaStreams.class, field(StreamProcessorApp.class, app, "streams"),
            "topologyMetadata");
        Set<String> internal = new HashSet<>();
        List<InternalTopologyBuilder.TopicsInfo> subtopologies = new ArrayList<>();
        metadata.topologyToSubtopologyTopicsInfoMap().values().forEach(m -> subtopologies.addAll(m.values()));
        for (InternalTopologyBuilder.TopicsInfo info : subtopologies) {
            for (String repartition : info.repartitionSourceTopics.keySet()) {
                internal.add(repartition);
                uses.addAll(Use.of(Resource.topic, repartition, "repartition topic", OWNS));
                // Kafka Streams purges consumed repartition records (DeleteRecords)
                uses.addAll(Use.of(Resource.topic, repartition, "repartition purge", "Delete"));
            }
            for (String changelog : info.stateChangelogTopics.keySet()) {
                internal.add(changelog);
                uses.addAll(Use.of(Resource.topic, changelog, "changelog topic", OWNS));
            }
        }
        for (InternalTopologyBuilder.TopicsInfo info : subtopologies) {
            info.sourceTopics.stream().filter(t -> !internal.contains(t))
                .forEach(t -> uses.addAll(Use.of(Resource.topic, t, "topology source", READS)));
            info.sinkTopics.stream().filter(t -> !internal.contains(t))
                .forEach(t -> uses.addAll(Use.of(Resource.topic, t, "topology sink", WRITES)));
        }
        ProcessorTopology global = metadata.globalTaskTopology();
        if (global != null) {
            global.sourceTopics().forEach(t -> uses.addAll(Use.of(Resource.topic, t, "global store", READS)));
        }
        @SuppressWarnings("unchecked")
        List<NewTopic> own = (List<NewTopic>) field(StreamProcessorApp.class, app, "ownTopics");
        own.forEach(t -> uses.addAll(Use.of(Resource.topic, t.name(), "created at start-up (TopicSetup)", "Create", "Describe")));
        String deadLetter = streamsProperties.getProperty(DeadLetterHandler.TOPIC_CONFIG);
        uses.addAll(Use.of(Resource.topic, deadLetter, "dead letters of the exception handlers", WRITES));
        uses.addAll(Use.of(Resource.group, applicationId, "Kafka Streams consumer group", "Read"));
        String guarantee = streamsProperties.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        if (!StreamsConfig.AT_LEAST_ONCE.equals(guarantee)) {
            uses.addAll(Use.ofPrefix(Resource.transactionalId, applicationId + "-", "exactly-once producers", TRANSACTIONS));
        }
        return uses;
    }

    /**
     * The responder ({@code ResponderEngine}): its consumer group subscribes to alerts, incidents and approvals; the action
     * ledger reads and writes the actions topic; the approval gate writes approval requests; unreadable records go to the
     * dead-letter topic. Its producers are idempotent, not transactional.
     */
    static List<Use> responder(ResponderConfig config) {
        List<Use> uses = new ArrayList<>();
        for (String topic : List.of(Topics.ALERTS, Topics.INCIDENTS, Topics.APPROVALS)) {
            uses.addAll(Use.of(Resource.topic, topic, "engine consumer", READS));
        }
        uses.addAll(Use.of(Resource.topic, Topics.ACTIONS, "action ledger", "Read", "Write", "Describe"));
        uses.addAll(Use.of(Resource.topic, Topics.APPROVALS, "approval requests", WRITES));
        uses.addAll(Use.of(Resource.topic, Topics.DEADLETTER, "dead letters", WRITES));
        uses.addAll(Use.of(Resource.group, config.getString(ResponderConfig.GROUP_ID_CONFIG), "engine consumer group", "Read"));
        return uses;
    }

    /**
     * Connect: the worker's configuration, offset and status topics and its group; with exactly-once source support, the
     * leader's transactional id and one per task ({@link Worker#taskTransactionalId}, tasks.max of each connector); and the topics
     * each KafkaConnector writes: every key of the connector's own ConfigDef named {@code topic} or ending in {@code .topic}
     * (set, or its default), created by Connect when the connector configures topic creation.
     */
    static List<Use> connect(KafkaConnect connect, List<KafkaConnector> connectors) {
        Map<String, String> settings = new TreeMap<>();
        connect.getSpec().getConfig().forEach((k, v) -> settings.put(k, String.valueOf(v)));
        settings.put("bootstrap.servers", connect.getSpec().getBootstrapServers());
        DistributedConfig worker = new DistributedConfig(settings);
        String group = worker.groupId();
        List<Use> uses = new ArrayList<>();
        for (String key : List.of(DistributedConfig.CONFIG_TOPIC_CONFIG, DistributedConfig.OFFSET_STORAGE_TOPIC_CONFIG,
                DistributedConfig.STATUS_STORAGE_TOPIC_CONFIG)) {
            uses.addAll(Use.of(Resource.topic, worker.getString(key), "worker " + key, OWNS));
        }
        uses.addAll(Use.of(Resource.group, group, "worker group", "Read"));
        boolean exactlyOnce = worker.exactlyOnceSourceEnabled();
        if (exactlyOnce) {
            uses.addAll(Use.of(Resource.transactionalId, DistributedConfig.transactionalProducerId(group),
                "leader's transactional config writes", TRANSACTIONS));
        }
        for (KafkaConnector connector : connectors) {
            String name = connector.getMetadata().getName();
            Map<String, String> config = new TreeMap<>();
            connector.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            boolean creates = config.keySet().stream().anyMatch(k -> k.startsWith(SourceConnectorConfig.TOPIC_CREATION_PREFIX));
            for (String topic : writtenTopics(connector.getSpec().getClassName(), config)) {
                uses.addAll(Use.of(Resource.topic, topic, "connector " + name, WRITES));
                if (creates) {
                    uses.addAll(Use.of(Resource.topic, topic, "connector " + name + " topic creation", "Create"));
                }
            }
            if (exactlyOnce) {
                int tasks = connector.getSpec().getTasksMax() == null ? 1 : connector.getSpec().getTasksMax();
                for (int task = 0; task < tasks; task++) {
                    uses.addAll(Use.of(Resource.transactionalId, Worker.taskTransactionalId(group, name, task),
                        "exactly-once task of " + name, TRANSACTIONS));
                }
            }
        }
        return uses;
    }

    private static Set<String> writtenTopics(String connectorClass, Map<String, String> config) {
        SourceConnector connector;
        try {
            connector = (SourceConnector) Class.forName(connectorClass).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no connector class " + connectorClass, e);
        }
        Set<String> topics = new HashSet<>();
        for (ConfigDef.ConfigKey key : connector.config().configKeys().values()) {
            if (!key.name.equals("topic") && !key.name.endsWith(".topic")) {
                continue;
            }
            Object value = config.containsKey(key.name) ? config.get(key.name) : key.defaultValue;
            if (value != null && !String.valueOf(value).isBlank()) {
                topics.add(String.valueOf(value));
            }
        }
        return topics;
    }

    /**
     * The schema registry (Apicurio 2.x, kafkasql storage) as its Deployment configures it: it creates, reads and writes its
     * journal topic ({@code REGISTRY_KAFKASQL_TOPIC}, default {@code kafkasql-journal}) and consumes it in a group named
     * {@code REGISTRY_KAFKASQL_CONSUMER_GROUP_PREFIX} (default {@code apicurio-registry-}) followed by a random id per start.
     */
    static List<Use> schemaRegistry(Deployment registry) {
        Map<String, String> env = new TreeMap<>();
        for (EnvVar variable : registry.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            env.put(variable.getName(), variable.getValue());
        }
        List<Use> uses = new ArrayList<>();
        uses.addAll(Use.of(Resource.topic, env.getOrDefault("REGISTRY_KAFKASQL_TOPIC", "kafkasql-journal"), "journal",
            "Read", "Write", "Describe", "Create"));
        uses.addAll(Use.ofPrefix(Resource.group, env.getOrDefault("REGISTRY_KAFKASQL_CONSUMER_GROUP_PREFIX", "apicurio-registry-"),
            "journal consumer (random group id per start)", "Read"));
        return uses;
    }

    private static Object field(Class<?> type, Object owner, String name) {
        try {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getName() + " has no field " + name + " any more: ComponentKafkaUses reads the running"
                + " topology and the start-up topics from it; follow the rename there", e);
        }
    }
}
