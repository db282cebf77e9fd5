package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;

/** Parses k8s/base with fabric8 and Strimzi's models and checks what the always-on deployment depends on. */
class KubernetesManifestsTest {

    private static List<HasMetadata> base;

    @BeforeAll
    static void load() {
        base = KubernetesResources.base();
    }

    private static Map<String, Object> baseProperties(String file) {
        return RepositoryFiles.properties(RepositoryFiles.path("k8s/base/config/" + file));
    }

    @Test
    void shouldParseEveryResourceWithARealModel() {
        assertFalse(base.isEmpty());
        for (HasMetadata resource : base) {
            if (resource instanceof GenericKubernetesResource generic) {
                assertEquals("PodMonitor", generic.getKind(), "only the PodMonitor has no model here: " + generic.getKind());
                assertEquals("monitoring.coreos.com/v1", generic.getApiVersion());
            }
            assertNotNull(resource.getMetadata().getName(), resource.getKind() + " without a name");
        }
        for (HasMetadata resource : base) {
            if (!(resource instanceof GenericKubernetesResource)) {
                assertEquals(List.of(), UnknownFields.in(resource), resource.getKind() + " " + resource.getMetadata().getName()
                        + " has fields its model does not know (misspelt?)");
            }
        }
        assertEquals(1, KubernetesResources.ofType(base, Kafka.class).size());
        assertEquals(2, KubernetesResources.ofType(base, KafkaNodePool.class).size());
    }

    @Test
    void shouldGiveEveryContainerProbesResourcesAndARestrictedSecurityContext() {
        Map<String, PodTemplateSpec> templates = PodChecks.podTemplates(base);
        assertEquals(Set.of("Deployment/responder", "Deployment/schema-registry", "StatefulSet/stream-processor"), templates.keySet());
        int checked = 0;
        for (Map.Entry<String, PodTemplateSpec> entry : templates.entrySet()) {
            checked += PodChecks.check(entry.getKey(), entry.getValue());
            assertEquals(Boolean.FALSE, entry.getValue().getSpec().getAutomountServiceAccountToken(),
                    entry.getKey() + ": no Kubernetes API token in pods that never call the API");
        }
        assertEquals(3, checked);
    }

    @Test
    void shouldRunStrimziPodsNonRootWithRequestsAndLimits() {
        Kafka kafka = KubernetesResources.ofType(base, Kafka.class).get(0);
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/kraft"), "KRaft mode");
        assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
        var template = kafka.getSpec().getKafka().getTemplate();
        PodChecks.security("Kafka", template.getPod().getSecurityContext(), template.getKafkaContainer().getSecurityContext());
        for (KafkaNodePool pool : KubernetesResources.ofType(base, KafkaNodePool.class)) {
            assertEquals("trailhound", pool.getMetadata().getLabels().get("strimzi.io/cluster"));
            PodChecks.resources("KafkaNodePool " + pool.getMetadata().getName(), pool.getSpec().getResources());
        }
        Set<String> roles = KubernetesResources.ofType(base, KafkaNodePool.class).stream()
                .flatMap(p -> p.getSpec().getRoles().stream()).map(Object::toString).map(String::toLowerCase).collect(Collectors.toSet());
        assertEquals(Set.of("controller", "broker"), roles);
        var operators = kafka.getSpec().getEntityOperator();
        PodChecks.resources("topic operator", operators.getTopicOperator().getResources());
        PodChecks.resources("user operator", operators.getUserOperator().getResources());
        PodChecks.security("topic operator", operators.getTemplate().getPod().getSecurityContext(),
                operators.getTemplate().getTopicOperatorContainer().getSecurityContext());
        KafkaConnect connect = KubernetesResources.ofType(base, KafkaConnect.class).get(0);
        PodChecks.resources("KafkaConnect", connect.getSpec().getResources());
        PodChecks.security("KafkaConnect", connect.getSpec().getTemplate().getPod().getSecurityContext(),
                connect.getSpec().getTemplate().getConnectContainer().getSecurityContext());
        assertNotNull(connect.getSpec().getLivenessProbe(), "KafkaConnect liveness probe");
        assertNotNull(connect.getSpec().getReadinessProbe(), "KafkaConnect readiness probe");
    }

    @Test
    void shouldKeepStreamProcessorStateOnAPersistentVolumeWithStandbys() {
        StreamProcessorConfig config = ServiceConfigs.streamProcessor("k8s/base", baseProperties("stream-processor.properties"));
        StatefulSet set = KubernetesResources.named(base, StatefulSet.class, "stream-processor");
        Set<String> claims = set.getSpec().getVolumeClaimTemplates().stream().map(c -> c.getMetadata().getName())
                .collect(Collectors.toSet());
        Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
        String stateDir = config.getString(StreamProcessorConfig.STATE_DIR_CONFIG);
        VolumeMount state = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(stateDir)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at state.dir " + stateDir));
        assertTrue(claims.contains(state.getName()), "state.dir must be on a volumeClaimTemplate, is on " + state.getName());
        assertTrue(config.getInt(StreamProcessorConfig.NUM_STANDBY_REPLICAS_CONFIG) >= 1, "standby replicas for fast fail-over");
        assertTrue(set.getSpec().getReplicas() > config.getInt(StreamProcessorConfig.NUM_STANDBY_REPLICAS_CONFIG),
                "a standby needs another instance");

        Service headless = KubernetesResources.named(base, Service.class, set.getSpec().getServiceName());
        assertEquals("None", headless.getSpec().getClusterIP(), "the StatefulSet's service is headless");
        assertEquals(set.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"),
                headless.getSpec().getSelector().get("app.kubernetes.io/name"));

        int port = config.getInt(StreamProcessorConfig.HTTP_PORT_CONFIG);
        assertEquals(port, container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow()
                .getContainerPort(), "the http port is the one the app serves");
        assertEquals("/healthy", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/ready", container.getReadinessProbe().getHttpGet().getPath());

        PodDisruptionBudget budget = KubernetesResources.named(base, PodDisruptionBudget.class, "stream-processor");
        assertEquals(set.getSpec().getSelector().getMatchLabels(), budget.getSpec().getSelector().getMatchLabels());
        assertNotNull(set.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity(), "anti-affinity");
    }

    @Test
    void shouldCreateEveryTopicOfTopicsWithItsSettings() {
        Map<String, TopicExpectations.Settings> declared = new TreeMap<>();
        for (KafkaTopic topic : KubernetesResources.ofType(base, KafkaTopic.class)) {
            assertEquals("trailhound", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            Map<String, String> config = new TreeMap<>();
            topic.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            declared.put(topic.getSpec().getTopicName(), new TopicExpectations.Settings(topic.getSpec().getPartitions(), config));
        }
        assertEquals(TopicExpectations.expected(), declared);
    }

    @Test
    void shouldConfigureConnectorsAndWorkersWithKeysTheyAccept() {
        KafkaConnect connect = KubernetesResources.ofType(base, KafkaConnect.class).get(0);
        assertEquals("true", connect.getMetadata().getAnnotations().get("strimzi.io/use-connector-resources"));
        Map<String, String> worker = new TreeMap<>();
        connect.getSpec().getConfig().forEach((k, v) -> worker.put(k, String.valueOf(v)));
        worker.put("bootstrap.servers", connect.getSpec().getBootstrapServers());
        ServiceConfigs.connectWorker("KafkaConnect", worker);
        List<KafkaConnector> connectors = KubernetesResources.ofType(base, KafkaConnector.class);
        assertEquals(4, connectors.size());
        Set<String> topics = TopicExpectations.expected().keySet();
        for (KafkaConnector connector : connectors) {
            Map<String, String> config = new HashMap<>();
            connector.getSpec().getConfig().forEach((k, v) -> config.put(k, String.valueOf(v)));
            config.put("connector.class", connector.getSpec().getClassName());
            config.put("tasks.max", String.valueOf(connector.getSpec().getTasksMax()));
            ServiceConfigs.connector("KafkaConnector " + connector.getMetadata().getName(), connector.getSpec().getClassName(), config);
            assertTrue(topics.contains(config.get("topic")), connector.getMetadata().getName() + " writes to a live topic");
            assertTrue(connector.getSpec().getAutoRestart() != null && connector.getSpec().getAutoRestart().isEnabled(),
                connector.getMetadata().getName() + ": a FAILED task is restarted by Strimzi (#17)");
        }
    }

    @Test
    void shouldStartTheServicesWithEveryOverlaysConfiguration() {
        for (String dir : List.of("base", "overlays/dev", "overlays/prod")) {
            ServiceConfigs.streamProcessor("k8s/" + dir,
                    RepositoryFiles.properties(RepositoryFiles.path("k8s/" + dir + "/config/stream-processor.properties")));
            ResponderConfig responder = ServiceConfigs.responder("k8s/" + dir,
                    RepositoryFiles.properties(RepositoryFiles.path("k8s/" + dir + "/config/responder.properties")));
            assertEquals(!dir.endsWith("prod"), responder.dryRun(), dir + ": dry run everywhere but prod");
        }
    }

    @Test
    void shouldGiveTheResponderItsIrsaRoleAndProtectIt() {
        ServiceAccount account = KubernetesResources.named(base, ServiceAccount.class, "responder");
        String role = account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn");
        assertNotNull(role, "IRSA annotation eks.amazonaws.com/role-arn");
        Deployment responder = KubernetesResources.named(base, Deployment.class, "responder");
        assertEquals("responder", responder.getSpec().getTemplate().getSpec().getServiceAccountName());
        ResponderConfig config = ServiceConfigs.responder("k8s/base", baseProperties("responder.properties"));
        assertEquals(role, config.getString(ResponderConfig.IDENTITY_ARN_CONFIG), "the responder protects its own identity");
        int port = config.getInt(ResponderConfig.HTTP_PORT_CONFIG);
        Container container = responder.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(port, container.getPorts().get(0).getContainerPort());
        assertEquals("/ready", container.getReadinessProbe().getHttpGet().getPath());
        PodSecurityContext pod = responder.getSpec().getTemplate().getSpec().getSecurityContext();
        assertEquals(Boolean.TRUE, pod.getRunAsNonRoot());
    }

    static Path k8s() {
        return RepositoryFiles.path("k8s");
    }
}
