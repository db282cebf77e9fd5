package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudTrailS3SourceConfigTest {

    @Test
    void shouldDocumentEveryKey() {
        for (ConfigDef.ConfigKey key : CloudTrailS3SourceConfig.CONFIG_DEF.configKeys().values()) {
            assertTrue(key.documentation != null && !key.documentation.isBlank(), key.name + " has no documentation");
            assertTrue(key.documentation.length() < 200, key.name + " documentation is not one line");
        }
    }

    @Test
    void shouldParseDefaultsAndLists() {
        CloudTrailS3SourceConfig config = new CloudTrailS3SourceConfig(Map.of(
            "location", "s3://org-trail/logs", "accounts", "111122223333, 444455556666", "regions", "us-east-1",
            "start.date", "2024-05-01"));

        assertEquals(new TrailLocation("s3://org-trail/logs/", true, "org-trail", "logs/", null), config.location());
        assertEquals(List.of("111122223333", "444455556666"), config.accounts());
        assertEquals(List.of("us-east-1"), config.regions());
        assertEquals(LocalDate.of(2024, 5, 1), config.startDate().orElseThrow());
        assertEquals("trailhound.cloudtrail.raw", config.topic());
        assertEquals("trailhound.deadletter", config.deadLetterTopic());
        assertFalse(config.awsSettings().toString().contains("secret-value"));
    }

    @Test
    void shouldRejectInvalidValuesNamingTheKey() {
        assertRejected(Map.of("location", "http://bucket/x"), "location");
        assertRejected(Map.of("location", "s3://Bad_Bucket"), "location");
        assertRejected(Map.of("location", "s3://b-1/x", "accounts", "12345"), "accounts");
        assertRejected(Map.of("location", "s3://b-1/x", "regions", "useast1"), "regions");
        assertRejected(Map.of("location", "s3://b-1/x", "start.date", "2024-13-01"), "start.date");
        assertRejected(Map.of("location", "s3://b-1/x", "batch.size", "0"), "batch.size");
        assertRejected(Map.of(), "location");
    }

    @Test
    void shouldNeverPrintTheSecret() {
        CloudTrailS3SourceConfig config = new CloudTrailS3SourceConfig(Map.of("location", "s3://b-1/x",
            "aws.access.key.id", "AKIAEXAMPLE", "aws.secret.access.key", "secret-value"));

        assertEquals("secret-value", config.awsSettings().credentials().secretAccessKey());
        assertFalse(config.awsSettings().toString().contains("secret-value"));
        assertFalse(config.toString().contains("secret-value"));
    }

    @Test
    void shouldReportAMissingTrailCopyOnValidate(@TempDir Path dir) {
        Map<String, String> props = new HashMap<>();
        props.put("location", dir.resolve("missing").toUri().toString());

        Config result = new CloudTrailS3SourceConnector().validate(props);

        ConfigValue location = result.configValues().stream().filter(v -> v.name().equals("location")).findFirst().orElseThrow();
        assertEquals(1, location.errorMessages().size(), location.errorMessages().toString());
        assertTrue(location.errorMessages().get(0).contains("check the 'location' setting"), location.errorMessages().toString());
    }

    @Test
    void shouldAcceptAReadableTrailCopyOnValidate(@TempDir Path dir) {
        Config result = new CloudTrailS3SourceConnector().validate(Map.of("location", dir.toUri().toString()));

        assertTrue(result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty()), result.configValues().toString());
    }

    private static void assertRejected(Map<String, String> props, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> new CloudTrailS3SourceConfig(props));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
