package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.strimzi.api.kafka.model.common.authentication.KafkaClientAuthenticationScramSha512;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;

import io.trailhound.deploy.KafkaAcls.Grant;
import io.trailhound.deploy.KafkaAcls.Resource;
import io.trailhound.deploy.KafkaAcls.Use;
import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.respond.ResponderConfig;

/**
 * Issue #19 item 1 on Kubernetes: the brokers take only TLS + SCRAM-SHA-512 clients and enforce ACLs, and each component's
 * KafkaUser allows exactly what the component does on Kafka ({@link ComponentKafkaUses} derives it from the code and the
 * deployed configuration): a missing ACL fails, and so does an ACL nothing uses. The message names each one; to add a topic's
 * ACL see k8s/README.md.
 */
class KafkaUserAclsTest {

    private static List<HasMetadata> base;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        base = KubernetesResources.base();
    }

    private static KafkaUser user(String name) {
        return KubernetesResources.named(base, KafkaUser.class, name);
    }

    private static void assertExactly(String name, List<Use> uses) {
        assertFalse(uses.isEmpty(), name + ": nothing derived");
        List<String> problems = KafkaAcls.compare(name, uses, KafkaAcls.grants(user(name)));
        assertTrue(problems.isEmpty(), "\n" + String.join("\n", problems));
    }

    @Test
    void shouldRequireTlsScramAndAclsOnTheOnlyListener() {
        Kafka kafka = KubernetesResources.ofType(base, Kafka.class).get(0);
        assertTrue(kafka.getSpec().getKafka().getAuthorization() instanceof KafkaAuthorizationSimple, "simple authorization");
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        for (GenericKafkaListener listener : listeners) {
            assertTrue(listener.isTls(), listener.getName() + ": TLS");
            assertTrue(listener.getAuth() instanceof KafkaListenerAuthenticationScramSha512, listener.getName() + ": SCRAM-SHA-512");
        }
        assertEquals(List.of(9093), listeners.stream().map(GenericKafkaListener::getPort).toList());
        for (KafkaUser user : KubernetesResources.ofType(base, KafkaUser.class)) {
            assertTrue(user.getSpec().getAuthentication() instanceof KafkaUserScramSha512ClientAuthentication,
                user.getMetadata().getName() + ": a SCRAM user");
            assertEquals("trailhound", user.getMetadata().getLabels().get("strimzi.io/cluster"));
        }
    }

    @Test
    void shouldAllowTheStreamProcessorExactlyWhatItsTopologyAndStartUpUse() {
        for (String directory : List.of("k8s/base/config", "k8s/overlays/dev/config", "k8s/overlays/prod/config")) {
            Map<String, Object> settings = StreamProcessorStartupTest.deployed(directory, dir.resolve(directory));
            try (StreamProcessorApp app = new StreamProcessorApp(settings)) {
                List<Use> uses = ComponentKafkaUses.streamProcessor(app);
                assertTrue(uses.stream().anyMatch(u -> u.name().endsWith("-changelog")), "changelogs derived: " + uses);
                assertExactly("trailhound-stream-processor", uses);
            }
        }
    }

    @Test
    void shouldAllowTheResponderExactlyWhatItsEngineUses() {
        for (String directory : List.of("k8s/base/config", "k8s/overlays/dev/config", "k8s/overlays/prod/config")) {
            ResponderConfig config = ServiceConfigs.responder(directory,
                RepositoryFiles.properties(RepositoryFiles.path(directory + "/responder.properties")));
            assertExactly("trailhound-responder", ComponentKafkaUses.responder(config));
        }
    }

    @Test
    void shouldAllowConnectExactlyWhatTheWorkerAndTheConnectorsUse() {
        KafkaConnect connect = KubernetesResources.ofType(base, KafkaConnect.class).get(0);
        List<Use> uses = ComponentKafkaUses.connect(connect, KubernetesResources.ofType(base, KafkaConnector.class));
        assertTrue(uses.stream().anyMatch(u -> u.resource() == Resource.transactionalId), "exactly-once ids derived: " + uses);
        assertExactly("trailhound-connect", uses);
    }

    @Test
    void shouldAllowTheSchemaRegistryExactlyItsJournal() {
        Deployment registry = KubernetesResources.named(base, Deployment.class, "schema-registry");
        assertExactly("trailhound-schema-registry", ComponentKafkaUses.schemaRegistry(registry));
    }

    @Test
    void shouldFailOnAMissingAndOnAnUnusedAcl() {
        // the comparison itself: the responder's derived uses against its real grants, one grant removed, one added
        ResponderConfig config = ServiceConfigs.responder("k8s/base",
            RepositoryFiles.properties(RepositoryFiles.path("k8s/base/config/responder.properties")));
        List<Use> uses = ComponentKafkaUses.responder(config);
        List<Grant> grants = new ArrayList<>(KafkaAcls.grants(user("trailhound-responder")));
        Grant write = grants.stream().filter(g -> g.name().equals("trailhound.response.actions") && g.operation().equals("Write"))
            .findFirst().orElseThrow();
        grants.remove(write);
        grants.add(new Grant(Resource.topic, "trailhound.cloudtrail.raw", false, "Read"));
        assertEquals(List.of("KafkaUser r allows what nothing uses: topic trailhound.cloudtrail.raw (literal) Read",
            "KafkaUser r lacks an ACL for topic trailhound.response.actions Write (action ledger)"), KafkaAcls.compare("r", uses, grants));
        // a prefix grant allows the names under it and nothing else
        Grant prefix = new Grant(Resource.transactionalId, "trailhound-stream-processor-", true, "Write");
        assertTrue(prefix.allows(new Use(Resource.transactionalId, "trailhound-stream-processor-", true, "Write", "eos")));
        assertFalse(prefix.allows(new Use(Resource.transactionalId, "trailhound-connect-x-0", false, "Write", "eos")));
    }

    @Test
    void shouldGiveEachComponentItsUsersSecretAndTheClusterCa() {
        // the services: properties files point at the mounts, the mounts hold the right Secrets
        Map<String, PodSpec> pods = Map.of(
            "trailhound-stream-processor", KubernetesResources.named(base, StatefulSet.class, "stream-processor").getSpec()
                .getTemplate().getSpec(),
            "trailhound-responder", KubernetesResources.named(base, Deployment.class, "responder").getSpec().getTemplate().getSpec());
        for (Map.Entry<String, PodSpec> pod : pods.entrySet()) {
            assertNotNull(user(pod.getKey()));
            assertEquals(pod.getKey(), secretMountedAt(pod.getValue(), "/etc/trailhound/kafka-user"));
            assertEquals("trailhound-cluster-ca-cert", secretMountedAt(pod.getValue(), "/etc/trailhound/kafka-ca"));
        }
        for (String directory : List.of("k8s/base/config", "k8s/overlays/dev/config", "k8s/overlays/prod/config")) {
            for (String file : List.of("stream-processor.properties", "responder.properties")) {
                Map<String, Object> settings = RepositoryFiles.properties(RepositoryFiles.path(directory + "/" + file));
                assertEquals("SASL_SSL", settings.get("security.protocol"), directory + "/" + file);
                assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"), directory + "/" + file);
                assertEquals("${secrets:/etc/trailhound/kafka-user:sasl.jaas.config}", settings.get("sasl.jaas.config"));
                assertEquals("/etc/trailhound/kafka-ca/ca.p12", settings.get("ssl.truststore.location"));
                assertEquals("trailhound-kafka-bootstrap:9093", settings.get("bootstrap.servers"));
            }
        }
        KafkaConnect connect = KubernetesResources.ofType(base, KafkaConnect.class).get(0);
        assertEquals("trailhound-kafka-bootstrap:9093", connect.getSpec().getBootstrapServers());
        KafkaClientAuthenticationScramSha512 auth = (KafkaClientAuthenticationScramSha512) connect.getSpec().getAuthentication();
        assertNotNull(user(auth.getUsername()));
        assertEquals(auth.getUsername(), auth.getPasswordSecret().getSecretName(), "the user operator's Secret is named after the user");
        assertEquals("trailhound-cluster-ca-cert", connect.getSpec().getTls().getTrustedCertificates().get(0).getSecretName());
        Deployment registry = KubernetesResources.named(base, Deployment.class, "schema-registry");
        Set<String> secrets = new TreeSet<>();
        for (EnvVar variable : registry.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
            if (variable.getValueFrom() != null) {
                secrets.add(variable.getValueFrom().getSecretKeyRef().getName());
            }
        }
        assertEquals(Set.of("trailhound-schema-registry", "trailhound-cluster-ca-cert"), secrets);
        assertEquals(Set.of("trailhound-stream-processor", "trailhound-responder", "trailhound-connect", "trailhound-schema-registry"),
            new TreeSet<>(KubernetesResources.ofType(base, KafkaUser.class).stream().map(u -> u.getMetadata().getName()).toList()));
    }

    private static String secretMountedAt(PodSpec pod, String path) {
        VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path))
            .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at " + path));
        assertTrue(mount.getReadOnly(), path + " read-only");
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        return volume.getSecret().getSecretName();
    }
}
