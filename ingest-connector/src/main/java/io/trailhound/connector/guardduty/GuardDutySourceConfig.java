package io.trailhound.connector.guardduty;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.GuardDutyClientBuilder;

/** Typed configuration of the GuardDuty findings source. */
public final class GuardDutySourceConfig extends AbstractConfig {

    public static final String REGIONS_CONFIG = "regions";
    public static final String INCLUDE_SAMPLES_CONFIG = "include.samples";
    public static final String TOPIC_CONFIG = "topic";
    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
    public static final String PAGE_SIZE_CONFIG = "page.size";
    public static final String AWS_ENDPOINT_CONFIG = "aws.endpoint.override";
    public static final String AWS_ACCESS_KEY_ID_CONFIG = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = "aws.secret.access.key";

    private static final ConfigDef.Validator REGION_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        List<?> regions = (List<?>) value;
        if (regions.isEmpty() || regions.stream().anyMatch(r -> !r.toString().matches("[a-z]{2}(-[a-z]+)+-\\d"))) {
            throw new ConfigException(name, value, "expected a non-empty list of region names like us-east-1");
        }
    }, () -> "non-empty list of region names");

    /** The definition of every key. */
    public static final ConfigDef CONFIG_DEF = new ConfigDef()
        .define(REGIONS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, REGION_VALUES, Importance.HIGH,
            "Regions whose GuardDuty detectors are read (each detector found with ListDetectors).")
        .define(INCLUDE_SAMPLES_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM,
            "Also forward sample findings (service.additionalInfo.sample=true), e.g. from CreateSampleFindings.")
        .define(TOPIC_CONFIG, Type.STRING, "trailhound.guardduty.raw", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
            "Topic receiving each finding version byte for byte as GuardDuty's API returned it, keyed by finding id.")
        .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(100L), Importance.MEDIUM,
            "Pause between listing rounds once every detector is read up to date.")
        .define(PAGE_SIZE_CONFIG, Type.INT, 50, Range.between(1, 50), Importance.LOW,
            "Findings asked for per ListFindings/GetFindings call.")
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override for tests and private endpoints; empty uses AWS.")
        .define(AWS_ACCESS_KEY_ID_CONFIG, Type.STRING, "", Importance.LOW,
            "Static access key id; empty uses the default credentials provider chain (recommended).")
        .define(AWS_SECRET_ACCESS_KEY_CONFIG, Type.PASSWORD, "", Importance.LOW,
            "Secret of the static access key; only used with aws.access.key.id.");

    /** Parses and validates {@code props}. */
    public GuardDutySourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    public List<String> regions() {
        return getList(REGIONS_CONFIG);
    }

    public boolean includeSamples() {
        return getBoolean(INCLUDE_SAMPLES_CONFIG);
    }

    public String topic() {
        return getString(TOPIC_CONFIG);
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS_CONFIG));
    }

    public int pageSize() {
        return getInt(PAGE_SIZE_CONFIG);
    }

    /** A client for {@code region} that hands raw GetFindings bodies to {@code capture}. */
    public GuardDutyClient client(String region, RawResponseCapture capture) {
        GuardDutyClientBuilder builder = GuardDutyClient.builder()
            .region(Region.of(region))
            .overrideConfiguration(c -> c.addExecutionInterceptor(capture));
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        String keyId = getString(AWS_ACCESS_KEY_ID_CONFIG);
        Password secret = getPassword(AWS_SECRET_ACCESS_KEY_CONFIG);
        if (!keyId.isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId.trim(),
                secret == null ? "" : secret.value())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }
}
