package io.trailhound.connector.guardduty;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.eventbridge.EventBridgeQueueReader;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.GuardDutyClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** Typed configuration of the GuardDuty findings source. */
public final class GuardDutySourceConfig extends OutputConfig {

    public static final String REGIONS_CONFIG = "regions";
    public static final String INCLUDE_SAMPLES_CONFIG = "include.samples";
    public static final String DETECTOR_IDS_CONFIG = "detector.ids";
    public static final String QUEUE_URL_CONFIG = "queue.url";
    public static final String TOPIC_CONFIG = OutputConfig.TOPIC_CONFIG;
    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
    public static final String PAGE_SIZE_CONFIG = "page.size";
    public static final String AWS_ENDPOINT_CONFIG = "aws.endpoint.override";
    public static final String VALIDATE_TIMEOUT_MS_CONFIG = "validate.timeout.ms";
    public static final String AWS_ACCESS_KEY_ID_CONFIG = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = "aws.secret.access.key";

    private static final ConfigDef.Validator REGION_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        List<?> regions = (List<?>) value;
        if (regions.isEmpty() || regions.stream().anyMatch(r -> !r.toString().matches("[a-z]{2}(-[a-z]+)+-\\d"))) {
            throw new ConfigException(name, value, "expected a non-empty list of region names like us-east-1");
        }
    }, () -> "non-empty list of region names");

    private static final ConfigDef.Validator DETECTOR_VALUES = ConfigDef.LambdaValidator.with((name, value) -> {
        for (Object entry : (List<?>) value) {
            if (!entry.toString().matches("[a-z]{2}(-[a-z]+)+-\\d:[A-Za-z0-9_-]+")) {
                throw new ConfigException(name, value,
                    "expected entries region:detectorId, e.g. us-east-1:12abc34d567e8fa901bc2d34e56789f0");
            }
        }
    }, () -> "region:detectorId entries");

    /** The definition of every key. */
    public static final ConfigDef CONFIG_DEF = OutputConfig.define(new ConfigDef()
        .define(REGIONS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, REGION_VALUES, Importance.HIGH,
            "Regions whose GuardDuty detectors are read (each detector found with ListDetectors).")
        .define(INCLUDE_SAMPLES_CONFIG, Type.BOOLEAN, false, Importance.MEDIUM,
            "Also forward sample findings (service.additionalInfo.sample=true), e.g. from CreateSampleFindings.")
        .define(DETECTOR_IDS_CONFIG, Type.LIST, "", DETECTOR_VALUES, Importance.MEDIUM,
            "Detectors to read as region:detectorId (e.g. the delegated administrator's); empty finds each region's with ListDetectors.")
        .define(QUEUE_URL_CONFIG, Type.STRING, "", Importance.MEDIUM,
            "SQS queue an EventBridge rule delivers 'GuardDuty Finding' events to; when set, findings are read from it instead of the "
                + "API (client in the first of 'regions')."),
            "trailhound.guardduty.raw", "Topic receiving each finding version byte for byte as GuardDuty returned it, keyed by finding id.")
        .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(100L), Importance.MEDIUM,
            "Pause between listing rounds once every detector is read up to date.")
        .define(PAGE_SIZE_CONFIG, Type.INT, 50, Range.between(1, 50), Importance.LOW,
            "Findings asked for per ListFindings/GetFindings call.")
        .define(VALIDATE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100L, 120_000L), Importance.LOW,
            "How long validate() waits for ListDetectors in each region (the access check).")
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

    /** The configured detector ids of {@code region}; empty when none are configured (then ListDetectors finds them). */
    public List<String> detectorIds(String region) {
        return getList(DETECTOR_IDS_CONFIG).stream().filter(e -> e.startsWith(region + ":"))
            .map(e -> e.substring(region.length() + 1)).toList();
    }

    /** Whether findings come from an SQS queue of EventBridge events rather than from the API. */
    public boolean queueMode() {
        return !getString(QUEUE_URL_CONFIG).isBlank();
    }

    /** The reader of {@code queue.url}: "GuardDuty Finding" events, each detail keyed by the finding id. */
    public EventBridgeQueueReader queueReader() {
        SqsClientBuilder builder = SqsClient.builder().region(Region.of(regions().get(0)));
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        builder.credentialsProvider(credentials());
        return new EventBridgeQueueReader(builder.build(), new EventBridgeQueueReader.Settings(getString(QUEUE_URL_CONFIG).trim(),
            Set.of("GuardDuty Finding"), topic(), deadLetterTopic(),
            maxRecordBytes(), 10, 2, "id"));
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS_CONFIG));
    }

    public Duration validateTimeout() {
        return Duration.ofMillis(getLong(VALIDATE_TIMEOUT_MS_CONFIG));
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
        return builder.credentialsProvider(credentials()).build();
    }

    private AwsCredentialsProvider credentials() {
        String keyId = getString(AWS_ACCESS_KEY_ID_CONFIG);
        Password secret = getPassword(AWS_SECRET_ACCESS_KEY_CONFIG);
        if (!keyId.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId.trim(), secret == null ? "" : secret.value()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
