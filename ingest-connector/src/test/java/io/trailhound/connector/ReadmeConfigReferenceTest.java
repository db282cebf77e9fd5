package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceConfig;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceConfig;
import io.trailhound.connector.guardduty.GuardDutySourceConfig;
import io.trailhound.connector.iam.IamSnapshotSourceConfig;
import io.trailhound.connector.transform.PrincipalKeyConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the one generated from the ConfigDef; a new or changed key fails here. */
class ReadmeConfigReferenceTest {

    @Test
    void shouldListEveryCloudTrailS3KeyAsDefined() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String expected = ConfigReference.markdown(CloudTrailS3SourceConfig.CONFIG_DEF);

        assertTrue(readme.contains(expected), "README.md is out of date; its CloudTrail S3 table must read:\n" + expected);
    }

    @Test
    void shouldListEveryEventBridgeKeyAsDefined() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String expected = ConfigReference.markdown(CloudTrailEventBridgeSourceConfig.CONFIG_DEF);

        assertTrue(readme.contains(expected), "README.md is out of date; its EventBridge table must read:\n" + expected);
    }

    @Test
    void shouldListEveryGuardDutyKeyAsDefined() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String expected = ConfigReference.markdown(GuardDutySourceConfig.CONFIG_DEF);

        assertTrue(readme.contains(expected), "README.md is out of date; its GuardDuty table must read:\n" + expected);
    }

    @Test
    void shouldListEveryIamSnapshotKeyAsDefined() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String expected = ConfigReference.markdown(IamSnapshotSourceConfig.CONFIG_DEF);

        assertTrue(readme.contains(expected), "README.md is out of date; its IAM snapshot table must read:\n" + expected);
    }

    @Test
    void shouldListEveryPrincipalKeyTransformKeyAsDefined() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String expected = ConfigReference.markdown(PrincipalKeyConfig.CONFIG_DEF);

        assertTrue(readme.contains(expected), "README.md is out of date; its PrincipalKey transform table must read:\n" + expected);
    }

    @Test
    void shouldDocumentEveryEventBridgeGuardDutyAndTransformKey() {
        for (ConfigDef definition : List.of(CloudTrailEventBridgeSourceConfig.CONFIG_DEF, GuardDutySourceConfig.CONFIG_DEF,
            IamSnapshotSourceConfig.CONFIG_DEF, PrincipalKeyConfig.CONFIG_DEF)) {
            definition.configKeys().values().forEach(key ->
                assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name + " has no documentation"));
        }
    }
}
