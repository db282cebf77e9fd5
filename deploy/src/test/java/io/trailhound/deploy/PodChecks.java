package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

/** What every container we run must have: probes, requests and limits, a restricted non-root security context. */
final class PodChecks {

    private PodChecks() {
    }

    /** The pod templates of the Deployments and StatefulSets among {@code resources}, by workload name. */
    static Map<String, PodTemplateSpec> podTemplates(List<HasMetadata> resources) {
        Map<String, PodTemplateSpec> templates = new java.util.TreeMap<>();
        KubernetesResources.ofType(resources, Deployment.class)
                .forEach(d -> templates.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
        KubernetesResources.ofType(resources, StatefulSet.class)
                .forEach(s -> templates.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
        return templates;
    }

    /** Asserts every rule for every container of {@code template}; returns the number of containers checked. */
    static int check(String workload, PodTemplateSpec template) {
        List<Container> containers = new ArrayList<>(template.getSpec().getContainers());
        Optional.ofNullable(template.getSpec().getInitContainers()).ifPresent(containers::addAll);
        PodSecurityContext pod = Optional.ofNullable(template.getSpec().getSecurityContext()).orElse(new PodSecurityContext());
        for (Container container : containers) {
            String where = workload + " container " + container.getName();
            probe(where + " liveness", container.getLivenessProbe());
            probe(where + " readiness", container.getReadinessProbe());
            resources(where, container.getResources());
            security(where, pod, container.getSecurityContext());
        }
        return containers.size();
    }

    private static void probe(String where, Probe probe) {
        assertNotNull(probe, where + " probe missing");
        assertTrue(probe.getHttpGet() != null || probe.getExec() != null || probe.getTcpSocket() != null, where + " probe has no check");
    }

    static void resources(String where, ResourceRequirements resources) {
        assertNotNull(resources, where + ": no resources");
        Map<String, Quantity> requests = Optional.ofNullable(resources.getRequests()).orElse(Map.of());
        Map<String, Quantity> limits = Optional.ofNullable(resources.getLimits()).orElse(Map.of());
        for (String resource : List.of("cpu", "memory")) {
            assertNotNull(requests.get(resource), where + ": no " + resource + " request");
            assertNotNull(limits.get(resource), where + ": no " + resource + " limit");
        }
        assertEquals(Quantity.getAmountInBytes(requests.get("memory")), Quantity.getAmountInBytes(limits.get("memory")),
                where + ": memory request must equal the limit (no overcommit, no OOM kill under node pressure)");
    }

    static void security(String where, PodSecurityContext pod, SecurityContext container) {
        assertNotNull(container, where + ": no securityContext");
        boolean nonRoot = Boolean.TRUE.equals(container.getRunAsNonRoot())
                || (container.getRunAsNonRoot() == null && Boolean.TRUE.equals(pod.getRunAsNonRoot()));
        assertTrue(nonRoot, where + ": runAsNonRoot");
        Long uid = container.getRunAsUser() != null ? container.getRunAsUser() : pod.getRunAsUser();
        assertTrue(uid == null || uid != 0, where + ": runAsUser 0");
        assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation must be false");
        assertNotNull(container.getCapabilities(), where + ": capabilities");
        assertTrue(container.getCapabilities().getDrop().contains("ALL"), where + ": drop ALL capabilities");
    }
}
