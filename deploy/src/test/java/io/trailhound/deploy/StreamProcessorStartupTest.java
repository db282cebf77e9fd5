package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.trailhound.detect.topology.StreamProcessorApp;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.signing.Ed25519Keys;

/**
 * The stream processor's own start-up path (configuration, topology, Kafka Streams instance) accepts every deployed
 * configuration. Three values are redirected: {@code state.dir} to a temporary directory (the deployed one is a volume),
 * {@code bootstrap.servers} to a loopback address, because Kafka clients refuse bootstrap host names that do not resolve
 * (the compose and cluster service names do not resolve here), and the signing key file to a fresh key (the deployed one is
 * a Secret).
 */
class StreamProcessorStartupTest {

    @TempDir
    Path stateDir;

    @ParameterizedTest
    @ValueSource(strings = {"docker/config", "k8s/base/config", "k8s/overlays/dev/config", "k8s/overlays/prod/config"})
    void shouldBuildTheApplicationFromTheDeployedConfiguration(String directory) throws IOException {
        Map<String, Object> settings = new HashMap<>(
                RepositoryFiles.properties(RepositoryFiles.path(directory + "/stream-processor.properties")));
        settings.put(StreamProcessorConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamProcessorConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        if (settings.containsKey(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG)) {
            // the deployed key is a Secret mounted in the pod: a key of the same kind stands in for it
            Path key = stateDir.resolve("detect.key");
            Ed25519Keys.writePrivateKey(key, Ed25519Keys.generate().getPrivate());
            settings.put(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG, key.toString());
        }
        try (StreamProcessorApp app = new StreamProcessorApp(settings)) {
            assertEquals(KafkaStreams.State.CREATED, app.state(), directory + ": built, not started");
        }
    }
}
