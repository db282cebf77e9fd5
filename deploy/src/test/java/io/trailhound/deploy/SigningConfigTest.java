package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;

/**
 * Issue #19 item 2 as deployed: on Kubernetes the stream processor signs alerts with a key from a Secret mounted where its
 * configuration looks, and the responder requires signed alerts and decisions (the development opt-outs appear in the
 * docker-compose stack only).
 */
class SigningConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base/config", "k8s/overlays/dev/config", "k8s/overlays/prod/config"})
    void shouldSignAndRequireSignaturesOnKubernetes(String directory) {
        Map<String, Object> detect = RepositoryFiles.properties(RepositoryFiles.path(directory + "/stream-processor.properties"));
        assertEquals("/etc/trailhound/keys/detect.key", detect.get(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG), directory);
        assertTrue(!"false".equals(detect.get(StreamProcessorConfig.SIGNING_REQUIRED_CONFIG)), directory);
        ResponderConfig responder = ServiceConfigs.responder(directory,
            RepositoryFiles.properties(RepositoryFiles.path(directory + "/responder.properties")));
        assertTrue(responder.getBoolean(ResponderConfig.APPROVALS_REQUIRE_SIGNATURE_CONFIG), directory);
        assertTrue(responder.alertSignatures().isPresent(), directory + ": alerts must be signed by a trusted key");
    }

    @Test
    void shouldMountTheSigningKeySecretWhereTheConfigurationLooks() {
        StatefulSet detect = KubernetesResources.named(KubernetesResources.base(), StatefulSet.class, "stream-processor");
        VolumeMount mount = detect.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> m.getName().equals("signing-key")).findFirst().orElseThrow();
        assertEquals(Path.of("/etc/trailhound/keys/detect.key").getParent().toString(), mount.getMountPath());
        assertTrue(mount.getReadOnly());
        Volume volume = detect.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals("signing-key")).findFirst().orElseThrow();
        assertEquals("trailhound-detect-signing-key", volume.getSecret().getSecretName());
        assertEquals(0400, volume.getSecret().getDefaultMode(), "owner read only");
        assertEquals("detect.key", volume.getSecret().getItems().get(0).getPath());
    }
}
