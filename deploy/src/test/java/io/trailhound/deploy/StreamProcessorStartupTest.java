package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.detect.topology.StreamProcessorConfig;

/**
 * The stream processor's own start-up path (configuration, topology, Kafka Streams instance) accepts every deployed
 * configuration. Three values are redirected: {@code state.dir} to a temporary directory (the deployed one is a volume),
 * {@code bootstrap.servers} to a loopback address, because Kafka clients refuse bootstrap host names that do not resolve
 * (the compose and cluster service names do not resolve here), and the files of the pod's Secrets (signing key, Kafka user,
 * cluster CA) to local ones of the same kinds ({@link PodFiles}).
 */
class StreamProcessorStartupTest {

    @TempDir
    Path stateDir;

    @ParameterizedTest
    @ValueSource(strings = {"docker/config", "k8s/base/config", "k8s/overlays/dev/config", "k8s/overlays/prod/config"})
    void shouldBuildTheApplicationFromTheDeployedConfiguration(String directory) {
        Map<String, Object> settings = deployed(directory, stateDir);
        try (StreamProcessorApp app = new StreamProcessorApp(settings)) {
            assertEquals(KafkaStreams.State.CREATED, app.state(), directory + ": built, not started");
        }
    }

    /**
     * The stream processor's settings from {@code directory}, runnable here: state in {@code dir}, a loopback bootstrap
     * address, and the pod's mounted files ({@link PodFiles}) made under {@code dir}.
     */
    static Map<String, Object> deployed(String directory, Path dir) {
        Map<String, Object> settings = new HashMap<>(
                RepositoryFiles.properties(RepositoryFiles.path(directory + "/stream-processor.properties")));
        settings.put(StreamProcessorConfig.STATE_DIR_CONFIG, dir.toString());
        settings.put(StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        return PodFiles.redirect(settings, dir.resolve("pod"));
    }
}
