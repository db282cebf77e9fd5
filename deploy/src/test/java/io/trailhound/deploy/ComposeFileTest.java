package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.server.config.AbstractKafkaConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;
import software.amazon.awssdk.core.SdkSystemSetting;

/**
 * Checks docker-compose.yml by parsing it (the {@code docker compose} plugin is not installed here, so
 * {@code docker compose config} cannot run): health checks, start order, every environment key and mounted configuration
 * against what the service accepts, and the topics the init step creates against {@link io.trailhound.topic.Topics}.
 */
class ComposeFileTest {

    private static final Pattern CREATE = Pattern.compile("(?m)^create (\\S+) (\\d+)((?: \\S+=\\S+)*)\\s*$");
    /** Variables the apache/kafka image's start script reads besides KAFKA_* broker settings. */
    private static final Set<String> KAFKA_IMAGE_VARIABLES = Set.of("CLUSTER_ID", "KAFKA_HEAP_OPTS");
    /** Variables Apicurio Registry's kafkasql image documents. */
    private static final Set<String> REGISTRY_VARIABLES = Set.of("KAFKA_BOOTSTRAP_SERVERS", "JAVA_OPTS_APPEND");
    /** LocalStack configuration variables used here. */
    private static final Set<String> LOCALSTACK_VARIABLES = Set.of("SERVICES", "AWS_DEFAULT_REGION", "SQS_ENDPOINT_STRATEGY",
            "LOCALSTACK_HOST");

    private static Map<String, Object> services;

    @BeforeAll
    static void load() {
        services = RepositoryFiles.map(RepositoryFiles.yaml(RepositoryFiles.path("docker-compose.yml")).get("services"));
    }

    private static Map<String, Object> service(String name) {
        Map<String, Object> service = RepositoryFiles.map(services.get(name));
        assertFalse(service.isEmpty(), "no service " + name);
        return service;
    }

    /** One-shot init services: never restarted, and whatever depends on them waits for their successful exit. */
    private static Set<String> oneShots() {
        return services.keySet().stream().filter(name -> "no".equals(String.valueOf(service(name).get("restart"))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void shouldGiveEveryLongRunningServiceAHealthCheck() {
        Set<String> oneShots = oneShots();
        assertEquals(Set.of("topics-init", "connectors-init"), oneShots);
        for (String name : services.keySet()) {
            if (!oneShots.contains(name)) {
                Map<String, Object> check = RepositoryFiles.map(service(name).get("healthcheck"));
                assertFalse(RepositoryFiles.list(check.get("test")).isEmpty(), name + " has no healthcheck");
            }
        }
    }

    @Test
    void shouldStartInAnAcyclicOrderThatWaitsForHealth() {
        Map<String, Set<String>> edges = new LinkedHashMap<>();
        for (String name : services.keySet()) {
            Map<String, Object> dependsOn = RepositoryFiles.map(service(name).get("depends_on"));
            edges.put(name, new TreeSet<>(dependsOn.keySet()));
            for (Map.Entry<String, Object> dependency : dependsOn.entrySet()) {
                assertTrue(services.containsKey(dependency.getKey()), name + " depends on a missing service " + dependency.getKey());
                String condition = String.valueOf(RepositoryFiles.map(dependency.getValue()).get("condition"));
                String expected = oneShots().contains(dependency.getKey()) ? "service_completed_successfully" : "service_healthy";
                assertEquals(expected, condition, name + " -> " + dependency.getKey());
            }
        }
        assertEquals(services.size(), topologicalOrder(edges).size(), "depends_on has a cycle: " + edges);
    }

    private static List<String> topologicalOrder(Map<String, Set<String>> edges) {
        Map<String, Integer> waiting = new HashMap<>();
        edges.forEach((name, deps) -> waiting.put(name, deps.size()));
        Deque<String> ready = new ArrayDeque<>();
        waiting.forEach((name, count) -> {
            if (count == 0) {
                ready.add(name);
            }
        });
        List<String> order = new java.util.ArrayList<>();
        while (!ready.isEmpty()) {
            String next = ready.poll();
            order.add(next);
            edges.forEach((name, deps) -> {
                if (deps.contains(next) && waiting.merge(name, -1, Integer::sum) == 0) {
                    ready.add(name);
                }
            });
        }
        return order;
    }

    @Test
    void shouldCreateExactlyTheTopicsOfTopics() {
        Map<String, TopicExpectations.Settings> created = new TreeMap<>();
        Matcher matcher = CREATE.matcher(RepositoryFiles.text("docker/scripts/create-topics.sh"));
        while (matcher.find()) {
            Map<String, String> config = new TreeMap<>();
            Arrays.stream(matcher.group(3).trim().split(" ")).filter(s -> !s.isEmpty()).forEach(pair -> {
                int eq = pair.indexOf('=');
                config.put(pair.substring(0, eq), pair.substring(eq + 1));
            });
            created.put(matcher.group(1), new TopicExpectations.Settings(Integer.parseInt(matcher.group(2)), config));
        }
        assertEquals(TopicExpectations.expected(), created);
        List<Object> entrypoint = RepositoryFiles.list(service("topics-init").get("entrypoint"));
        assertTrue(entrypoint.contains("/scripts/create-topics.sh"), "topics-init must run the script: " + entrypoint);
    }

    @Test
    void shouldGiveTheKafkaBrokerOnlyBrokerSettings() {
        Set<String> brokerKeys = AbstractKafkaConfig.CONFIG_DEF.names();
        Set<String> unknown = new TreeSet<>();
        for (String variable : environment("kafka").keySet()) {
            if (!KAFKA_IMAGE_VARIABLES.contains(variable)) {
                String key = brokerKey(variable);
                if (!variable.startsWith("KAFKA_") || !brokerKeys.contains(key)) {
                    unknown.add(variable + " (" + key + ")");
                }
            }
        }
        assertEquals(Set.of(), unknown, "environment variables the broker does not accept");
        assertEquals("broker,controller", environment("kafka").get("KAFKA_PROCESS_ROLES"), "a single KRaft node");
    }

    /** The apache/kafka image's rule: KAFKA_ prefix dropped, ___ is '-', __ is '_', _ is '.', lower case. */
    static String brokerKey(String variable) {
        return variable.replaceFirst("^KAFKA_", "").replace("___", "-").replace("__", "\u0000").replace('_', '.')
                .replace('\u0000', '_').toLowerCase();
    }

    @Test
    void shouldGiveEachServiceOnlyVariablesItReads() {
        Set<String> sdk = Arrays.stream(SdkSystemSetting.values()).map(SdkSystemSetting::environmentVariable)
                .collect(Collectors.toSet());
        assertTrue(RepositoryFiles.text("docker/config/logback.xml").contains("${TRAILHOUND_LOG_LEVEL"),
                "logback.xml reads TRAILHOUND_LOG_LEVEL");
        assertKnown("stream-processor", Set.of("TRAILHOUND_LOG_LEVEL"));
        Set<String> responder = new TreeSet<>(sdk);
        responder.add("TRAILHOUND_LOG_LEVEL");
        assertKnown("responder", responder);
        assertKnown("connect", sdk);
        assertKnown("schema-registry", REGISTRY_VARIABLES);
        assertKnown("localstack", LOCALSTACK_VARIABLES);
        assertKnown("connectors-init", Set.of("CONNECT_URL"));
        assertTrue(RepositoryFiles.text("docker/scripts/register-connectors.sh").contains("${CONNECT_URL"));
    }

    private static void assertKnown(String name, Set<String> accepted) {
        Set<String> unknown = new TreeSet<>(environment(name).keySet());
        unknown.removeAll(accepted);
        assertEquals(Set.of(), unknown, name + ": environment variables it does not read");
    }

    @Test
    void shouldMountConfigurationsTheServicesAccept() {
        Map<String, Object> stream = mountedProperties("stream-processor");
        StreamProcessorConfig streamConfig = ServiceConfigs.streamProcessor("compose stream-processor", stream);
        assertTrue(volumes("stream-processor").containsValue(streamConfig.getString(StreamProcessorConfig.STATE_DIR_CONFIG)),
                "state.dir must be on a named volume: " + volumes("stream-processor"));
        ResponderConfig responder = ServiceConfigs.responder("compose responder", mountedProperties("responder"));
        assertTrue(responder.dryRun(), "the workstation responder runs dry");
        String bucket = responder.getString(ResponderConfig.EVIDENCE_BUCKET_CONFIG);
        assertTrue(RepositoryFiles.text("docker/localstack/init-aws.sh").contains("evidence_bucket=" + bucket),
                "LocalStack seeding creates the evidence bucket " + bucket);
        Map<String, String> worker = new TreeMap<>();
        mountedProperties("connect").forEach((k, v) -> worker.put(k, String.valueOf(v)));
        ServiceConfigs.connectWorker("compose connect", worker);
    }

    @Test
    void shouldRegisterConnectorsTheirClassesAcceptWritingToLiveTopics() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Set<String> topics = TopicExpectations.expected().keySet();
        Path directory = RepositoryFiles.path("docker/connectors");
        List<Path> files;
        try (var stream = java.nio.file.Files.list(directory)) {
            files = stream.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no connector configurations");
        String seed = RepositoryFiles.text("docker/localstack/init-aws.sh");
        for (Path file : files) {
            Map<String, String> config = json.readValue(file.toFile(), new com.fasterxml.jackson.core.type.TypeReference<>() { });
            ServiceConfigs.connector(file.getFileName().toString(), config.get("connector.class"), config);
            for (String key : List.of("topic", "deadletter.topic")) {
                if (config.containsKey(key)) {
                    assertTrue(topics.contains(config.get(key)), file + ": " + key + " is not a live topic");
                }
            }
            String source = config.getOrDefault("location", config.getOrDefault("queue.url", ""));
            String name = source.replaceAll("^s3://", "").replaceAll(".*/", "").replaceAll("/.*", "");
            assertTrue(seed.contains(name), file + ": LocalStack seeding never creates " + name);
        }
    }

    private static Map<String, Object> environment(String name) {
        return RepositoryFiles.map(service(name).get("environment"));
    }

    /** Host path by container path of the service's volumes (named volumes keep their name). */
    private static Map<String, String> volumes(String name) {
        Map<String, String> volumes = new LinkedHashMap<>();
        for (Object entry : RepositoryFiles.list(service(name).get("volumes"))) {
            String[] parts = String.valueOf(entry).split(":");
            volumes.put(parts[0], parts[1]);
        }
        return volumes;
    }

    /** The properties file mounted where the service's command (or image default) reads its configuration. */
    private static Map<String, Object> mountedProperties(String name) {
        List<Object> command = RepositoryFiles.list(service(name).get("command"));
        String target = command.isEmpty() ? "/etc/kafka-connect/connect-distributed.properties" : String.valueOf(command.get(0));
        for (Map.Entry<String, String> volume : volumes(name).entrySet()) {
            if (volume.getValue().equals(target)) {
                return RepositoryFiles.properties(RepositoryFiles.path(volume.getKey().replaceFirst("^\\./", "")));
            }
        }
        throw new AssertionError(name + ": nothing mounted at " + target);
    }
}
