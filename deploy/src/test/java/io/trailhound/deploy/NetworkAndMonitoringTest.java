package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;

/** NetworkPolicies that select real pods and allow only what each needs; Prometheus scraping of both services. */
class NetworkAndMonitoringTest {

    /** Labels Strimzi puts on the pods it creates, by kind. */
    private static final Map<String, Map<String, String>> STRIMZI_PODS = Map.of(
            "Kafka", Map.of("strimzi.io/cluster", "trailhound", "strimzi.io/kind", "Kafka"),
            "KafkaConnect", Map.of("strimzi.io/cluster", "trailhound", "strimzi.io/kind", "KafkaConnect"));

    private static List<HasMetadata> base;
    private static List<Map<String, String>> podLabels;

    @BeforeAll
    static void load() {
        base = KubernetesResources.base();
        podLabels = new ArrayList<>(STRIMZI_PODS.values());
        PodChecks.podTemplates(base).values().forEach(t -> podLabels.add(t.getMetadata().getLabels()));
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        boolean ok = selector.getMatchLabels() == null
                || selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        for (LabelSelectorRequirement requirement : selector.getMatchExpressions() == null
                ? List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
            boolean in = requirement.getValues().contains(labels.get(requirement.getKey()));
            ok &= requirement.getOperator().equals("In") ? in : !in;
        }
        return ok;
    }

    private static boolean isEmpty(Object value) {
        return value == null || (value instanceof Map<?, ?> map && map.isEmpty()) || (value instanceof List<?> list && list.isEmpty());
    }

    @Test
    void shouldDenyIngressByDefaultAndSelectRealPodsOnly() {
        List<NetworkPolicy> policies = KubernetesResources.ofType(base, NetworkPolicy.class);
        assertTrue(policies.stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector().getMatchLabels())
                && isEmpty(p.getSpec().getPodSelector().getMatchExpressions()) && isEmpty(p.getSpec().getIngress())
                && p.getSpec().getPolicyTypes().contains("Ingress")), "a default deny-ingress policy");
        for (NetworkPolicy policy : policies) {
            assertTrue(podLabels.stream().anyMatch(labels -> matches(policy.getSpec().getPodSelector(), labels)),
                    policy.getMetadata().getName() + " selects no pod");
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress() == null ? List.<NetworkPolicyEgressRule>of()
                    : policy.getSpec().getEgress()) {
                assertFalse(rule.getTo() == null || rule.getTo().isEmpty(), policy.getMetadata().getName() + ": egress to anywhere");
                assertFalse(rule.getPorts() == null || rule.getPorts().isEmpty(), policy.getMetadata().getName() + ": egress on any port");
                for (NetworkPolicyPeer peer : rule.getTo()) {
                    if (peer.getIpBlock() != null) {
                        assertTrue(peer.getIpBlock().getExcept().contains("169.254.0.0/16"),
                                policy.getMetadata().getName() + ": AWS egress must exclude instance metadata (IRSA only)");
                    }
                }
            }
        }
    }

    @Test
    void shouldLetOnlyLabelledClientsReachKafkaAndLabelEveryClient() {
        Kafka kafka = KubernetesResources.ofType(base, Kafka.class).get(0);
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            assertFalse(listener.getNetworkPolicyPeers() == null || listener.getNetworkPolicyPeers().isEmpty(),
                    "listener " + listener.getName() + " is open to every pod");
            LabelSelector peers = listener.getNetworkPolicyPeers().get(0).getPodSelector();
            for (Map.Entry<String, PodTemplateSpec> workload : PodChecks.podTemplates(base).entrySet()) {
                assertTrue(matches(peers, workload.getValue().getMetadata().getLabels()),
                        workload.getKey() + " talks to Kafka but the listener " + listener.getName() + " would refuse it");
            }
        }
    }

    @Test
    void shouldScrapeBothServicesOnTheirHttpPort() {
        GenericKubernetesResource monitor = KubernetesResources.ofType(base, GenericKubernetesResource.class).stream()
                .filter(r -> r.getKind().equals("PodMonitor")).findFirst().orElseThrow();
        Map<String, Object> spec = RepositoryFiles.map(monitor.getAdditionalProperties().get("spec"));
        LabelSelector selector = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                io.fabric8.kubernetes.client.utils.Serialization.asJson(spec.get("selector")), LabelSelector.class);
        List<Object> endpoints = RepositoryFiles.list(spec.get("podMetricsEndpoints"));
        assertEquals("/metrics", RepositoryFiles.map(endpoints.get(0)).get("path"));
        String port = String.valueOf(RepositoryFiles.map(endpoints.get(0)).get("port"));
        Set<String> scraped = PodChecks.podTemplates(base).entrySet().stream()
                .filter(e -> matches(selector, e.getValue().getMetadata().getLabels()))
                .peek(e -> assertTrue(e.getValue().getSpec().getContainers().get(0).getPorts().stream()
                        .anyMatch(p -> port.equals(p.getName())), e.getKey() + " has no port " + port))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(Set.of("Deployment/responder", "StatefulSet/stream-processor"), scraped);
    }
}
