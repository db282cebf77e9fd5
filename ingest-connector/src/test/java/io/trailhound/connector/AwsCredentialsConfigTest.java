package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceConfig;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceConfig;
import io.trailhound.connector.guardduty.GuardDutySourceConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The shared credential keys: defined once for the three connectors, validated, never printed. */
class AwsCredentialsConfigTest {

    private static final List<ConfigDef> ALL = List.of(CloudTrailS3SourceConfig.CONFIG_DEF, CloudTrailEventBridgeSourceConfig.CONFIG_DEF,
        GuardDutySourceConfig.CONFIG_DEF);

    @Test
    void shouldDefineTheRoleKeysOnEveryConnectorAndTheTemplateOnGuardDutyOnly() {
        for (ConfigDef definition : ALL) {
            for (String key : List.of("aws.access.key.id", "aws.secret.access.key", "aws.role.arn", "aws.role.external.id",
                "aws.role.session.name", "aws.sts.endpoint.override")) {
                assertTrue(definition.names().contains(key), key);
            }
            assertEquals(ConfigDef.Type.PASSWORD, definition.configKeys().get("aws.role.external.id").type);
            assertEquals("trailhound-connector", definition.configKeys().get("aws.role.session.name").defaultValue);
            definition.configKeys().values().forEach(k -> assertTrue(k.documentation.length() < 200, k.name + ": not one line"));
        }
        assertTrue(GuardDutySourceConfig.CONFIG_DEF.names().contains("aws.role.arn.template"));
        assertFalse(CloudTrailEventBridgeSourceConfig.CONFIG_DEF.names().contains("aws.role.arn.template"));
    }

    @Test
    void shouldAcceptRoleArnsOnly() {
        eventBridge("aws.role.arn", "arn:aws:iam::111122223333:role/trailhound-log-reader");
        eventBridge("aws.role.arn", "arn:aws-us-gov:iam::111122223333:role/path/trailhound-reader");
        for (String bad : List.of("arn:aws:iam::111122223333:user/alice", "arn:aws:iam::1111:role/x", "trailhound-reader",
            "arn:aws:sts::111122223333:assumed-role/x/y")) {
            ConfigException e = assertThrows(ConfigException.class, () -> eventBridge("aws.role.arn", bad));
            assertTrue(e.getMessage().contains("aws.role.arn") && e.getMessage().contains("IAM role ARN"), e.getMessage());
        }
        assertThrows(ConfigException.class, () -> eventBridge("aws.role.session.name", "has space"));
    }

    @Test
    void shouldRequireTheAccountPlaceholderInTheTemplate() {
        ConfigException missing = assertThrows(ConfigException.class, () -> guardDuty(Map.of("accounts", "111122223333",
            "aws.role.arn.template", "arn:aws:iam::111122223333:role/trailhound-reader")));
        assertTrue(missing.getMessage().contains("{account}"), missing.getMessage());
        ConfigException notRole = assertThrows(ConfigException.class, () -> guardDuty(Map.of("accounts", "111122223333",
            "aws.role.arn.template", "arn:aws:iam::{account}:user/trailhound")));
        assertTrue(notRole.getMessage().contains("not an IAM role ARN"), notRole.getMessage());

        GuardDutySourceConfig config = guardDuty(Map.of("accounts", "111122223333,444455556666",
            "aws.role.arn.template", "arn:aws:iam::{account}:role/trailhound-reader"));
        assertEquals(List.of("111122223333", "444455556666"), config.accounts());
        assertEquals("arn:aws:iam::444455556666:role/trailhound-reader",
            AwsCredentialsConfig.roleOf(config.roleTemplate().orElseThrow(), "444455556666"));
    }

    @Test
    void shouldRejectATemplateWithoutAccountsOrBesideOneRole() {
        ConfigException noAccounts = assertThrows(ConfigException.class, () -> guardDuty(Map.of(
            "aws.role.arn.template", "arn:aws:iam::{account}:role/trailhound-reader")));
        assertTrue(noAccounts.getMessage().contains("accounts"), noAccounts.getMessage());
        ConfigException both = assertThrows(ConfigException.class, () -> guardDuty(Map.of("accounts", "111122223333",
            "aws.role.arn.template", "arn:aws:iam::{account}:role/trailhound-reader",
            "aws.role.arn", "arn:aws:iam::111122223333:role/trailhound-reader")));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
    }

    @Test
    void shouldNeverPrintTheSecretOrTheExternalId() {
        CloudTrailEventBridgeSourceConfig config = new CloudTrailEventBridgeSourceConfig(Map.of("queue.url", "https://q",
            "aws.access.key.id", "AKIAEXAMPLE", "aws.secret.access.key", "secret-value", "aws.role.external.id", "external-value"));

        assertEquals("external-value", config.credentials().externalId());
        assertFalse(config.credentials().toString().contains("secret-value"));
        assertFalse(config.credentials().toString().contains("external-value"));
        assertFalse(config.toString().contains("external-value"));
    }

    private static CloudTrailEventBridgeSourceConfig eventBridge(String key, String value) {
        return new CloudTrailEventBridgeSourceConfig(Map.of("queue.url", "https://sqs.us-east-1.amazonaws.com/1/q", key, value));
    }

    private static GuardDutySourceConfig guardDuty(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("regions", "us-east-1");
        return new GuardDutySourceConfig(props);
    }
}
