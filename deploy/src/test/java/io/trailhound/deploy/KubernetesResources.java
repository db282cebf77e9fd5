package io.trailhound.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Kubernetes manifests parsed with real models: fabric8 for the built-in kinds, Strimzi's api classes for its custom
 * resources, {@link GenericKubernetesResource} only for the Prometheus Operator's PodMonitor.
 */
final class KubernetesResources {

    private static final Map<String, Class<? extends HasMetadata>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class,
            "KafkaConnect", KafkaConnect.class, "KafkaConnector", KafkaConnector.class, "KafkaUser", KafkaUser.class);

    private KubernetesResources() {
    }

    /** One YAML document as its model. */
    static HasMetadata parse(String yaml) {
        Map<String, Object> raw = Serialization.unmarshal(yaml, Map.class);
        Class<? extends HasMetadata> strimzi = STRIMZI.get(String.valueOf(raw.get("kind")));
        if (strimzi != null && String.valueOf(raw.get("apiVersion")).startsWith("kafka.strimzi.io/")) {
            return Serialization.unmarshal(yaml, strimzi);
        }
        return (HasMetadata) Serialization.unmarshal(yaml);
    }

    /** The resources listed in {@code k8s/base/kustomization.yaml}, in order. */
    static List<HasMetadata> base() {
        Path base = RepositoryFiles.path("k8s/base");
        List<HasMetadata> resources = new ArrayList<>();
        for (Object file : RepositoryFiles.list(RepositoryFiles.yaml(base.resolve("kustomization.yaml")).get("resources"))) {
            resources.add(parse(RepositoryFiles.text(base.resolve(String.valueOf(file)))));
        }
        return resources;
    }

    /** Every document of a multi-document YAML stream. */
    static List<HasMetadata> parseAll(String stream) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : stream.split("(?m)^---\\s*$")) {
            if (!document.isBlank()) {
                resources.add(parse(document));
            }
        }
        return resources;
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> type, String name) {
        return ofType(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** {@code kubectl kustomize DIR} when kubectl is on the PATH, else empty. */
    static Optional<String> kustomize(Path directory) {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path output = Files.createTempFile("kustomize", ".yaml");
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", directory.toString())
                    .redirectOutput(output.toFile()).redirectErrorStream(false).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + directory + " did not finish in 120 s");
            }
            String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed: " + error);
            }
            String rendered = Files.readString(output);
            Files.delete(output);
            return Optional.of(rendered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
