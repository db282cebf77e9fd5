package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import io.trailhound.respond.ResponderConfig;

/**
 * The dev and prod overlays patch only what the base defines; rendered with {@code kubectl kustomize} (when kubectl is on
 * the PATH), every container still passes the pod checks and both services accept the rendered configuration.
 */
class KustomizeOverlaysTest {

    private static Set<String> baseKeys() {
        return KubernetesResources.base().stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static Set<String> baseGenerators() {
        return RepositoryFiles.list(RepositoryFiles.yaml(RepositoryFiles.path("k8s/base/kustomization.yaml")).get("configMapGenerator"))
                .stream().map(g -> String.valueOf(RepositoryFiles.map(g).get("name"))).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldPatchOnlyResourcesTheBaseDefines(String overlay) {
        Path dir = RepositoryFiles.path("k8s/overlays/" + overlay);
        Map<String, Object> kustomization = RepositoryFiles.yaml(dir.resolve("kustomization.yaml"));
        assertEquals(List.of("../../base"), kustomization.get("resources"), overlay + " builds on the base only");
        Set<String> base = baseKeys();
        Set<String> kinds = base.stream().map(k -> k.substring(0, k.indexOf('/'))).collect(Collectors.toSet());
        List<Object> patches = RepositoryFiles.list(kustomization.get("patches"));
        assertFalse(patches.isEmpty(), overlay + " patches nothing");
        for (Object entry : patches) {
            Map<String, Object> patch = RepositoryFiles.map(entry);
            if (patch.containsKey("path")) {
                HasMetadata target = KubernetesResources.parse(RepositoryFiles.text(dir.resolve(String.valueOf(patch.get("path")))));
                String key = target.getKind() + "/" + target.getMetadata().getName();
                assertTrue(base.contains(key), overlay + ": " + patch.get("path") + " patches " + key + ", which the base lacks");
            } else {
                Map<String, Object> target = RepositoryFiles.map(patch.get("target"));
                String kind = String.valueOf(target.get("kind"));
                assertTrue(kinds.contains(kind), overlay + ": patch target kind " + kind + " is not in the base");
                if (target.containsKey("name")) {
                    assertTrue(base.contains(kind + "/" + target.get("name")), overlay + ": no " + kind + "/" + target.get("name"));
                }
            }
        }
        Set<String> generators = baseGenerators();
        for (Object entry : RepositoryFiles.list(kustomization.get("configMapGenerator"))) {
            Map<String, Object> generator = RepositoryFiles.map(entry);
            assertTrue(generators.contains(String.valueOf(generator.get("name"))), overlay + ": generator " + generator.get("name"));
            assertTrue(Set.of("replace", "merge").contains(String.valueOf(generator.get("behavior"))),
                    overlay + ": " + generator.get("name") + " must replace or merge the base's ConfigMap, not add one");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void shouldRenderToResourcesThatPassEveryCheck(String directory) {
        Optional<String> rendered = KubernetesResources.kustomize(RepositoryFiles.path("k8s/" + directory));
        Assumptions.assumeTrue(rendered.isPresent(), "kubectl is not on the PATH: only the parse-based checks ran");
        List<HasMetadata> resources = KubernetesResources.parseAll(rendered.get());
        // generated ConfigMaps carry a content hash suffix
        Set<String> renderedKinds = resources.stream()
                .map(r -> r.getKind() + "/" + r.getMetadata().getName().replaceAll("-[a-z0-9]{10}$", "")).collect(Collectors.toSet());
        Set<String> expected = new java.util.HashSet<>(baseKeys());
        baseGenerators().forEach(name -> expected.add("ConfigMap/" + name));
        if (directory.endsWith("dev")) {
            expected.remove("Namespace/trailhound");
            expected.add("Namespace/trailhound-dev");
        }
        assertEquals(expected, renderedKinds, directory + " renders exactly the base's resources");
        PodChecks.podTemplates(resources).forEach(PodChecks::check);
        resources.stream().filter(r -> !(r instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource))
                .forEach(r -> assertEquals(List.of(), UnknownFields.in(r), directory + ": " + r.getKind() + " has unknown fields"));

        Map<String, String> files = new HashMap<>();
        KubernetesResources.ofType(resources, ConfigMap.class).forEach(c -> files.putAll(c.getData()));
        ServiceConfigs.streamProcessor(directory, properties(files.get("stream-processor.properties")));
        ResponderConfig responder = ServiceConfigs.responder(directory, properties(files.get("responder.properties")));
        assertEquals(!directory.endsWith("prod"), responder.dryRun(), directory + ": dry run everywhere but prod");
        StatefulSet set = KubernetesResources.named(resources, StatefulSet.class, "stream-processor");
        String config = set.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null)
                .findFirst().orElseThrow().getConfigMap().getName();
        assertTrue(resources.stream().anyMatch(r -> r instanceof ConfigMap && r.getMetadata().getName().equals(config)),
                directory + ": the StatefulSet mounts ConfigMap " + config + ", which is not rendered");
    }

    private static Map<String, Object> properties(String text) {
        assertTrue(text != null && !text.isBlank(), "configuration file missing from the rendered ConfigMaps");
        java.util.Properties properties = new java.util.Properties();
        try {
            properties.load(new java.io.StringReader(text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }
}
