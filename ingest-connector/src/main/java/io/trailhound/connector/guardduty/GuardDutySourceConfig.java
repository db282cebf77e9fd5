package io.trailhound.connector.guardduty;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsCredentialsConfig;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.RetryConfig;
import io.trailhound.connector.eventbridge.EventBridgeQueueReader;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
    public static final String AWS_ACCESS_KEY_ID_CONFIG = AwsCredentialsConfig.AWS_ACCESS_KEY_ID_CONFIG;
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = AwsCredentialsConfig.AWS_SECRET_ACCESS_KEY_CONFIG;
    public static final String AWS_ROLE_ARN_TEMPLATE_CONFIG = AwsCredentialsConfig.AWS_ROLE_ARN_TEMPLATE_CONFIG;
    public static final String ACCOUNTS_CONFIG = AwsCredentialsConfig.ACCOUNTS_CONFIG;

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
    public static final ConfigDef CONFIG_DEF = RetryConfig.define(AwsCredentialsConfig.defineRoleTemplate(AwsCredentialsConfig.define(
        OutputConfig.define(
        new ConfigDef()
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
            "How long validate() waits for its access checks: ListDetectors per region (GetDetector of each of detector.ids), or "
                + "GetQueueAttributes on queue.url.")
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override for tests and private endpoints; empty uses AWS."))));

    /** Parses and validates {@code props}, including the combinations of keys ({@link #conflicts()}). */
    public GuardDutySourceConfig(Map<String, String> props) {
        this(props, true);
    }

    private GuardDutySourceConfig(Map<String, String> props, boolean checkCombinations) {
        super(CONFIG_DEF, props);
        Map<String, String> conflicts = checkCombinations ? conflicts() : Map.of();
        if (!conflicts.isEmpty()) {
            Map.Entry<String, String> first = conflicts.entrySet().iterator().next();
            throw new ConfigException(first.getKey(), get(first.getKey()), first.getValue());
        }
    }

    /** The conflicting combinations in {@code props} (each key already valid on its own), as problem by key. */
    static Map<String, String> conflicts(Map<String, String> props) {
        return new GuardDutySourceConfig(props, false).conflicts();
    }

    /** Keys set together that cannot be (per-account roles need accounts; they exclude aws.role.arn, detector.ids, queue.url). */
    Map<String, String> conflicts() {
        Map<String, String> problems = new LinkedHashMap<>();
        if (roleTemplate().isEmpty()) {
            return problems;
        }
        if (accounts().isEmpty()) {
            problems.put(ACCOUNTS_CONFIG, "aws.role.arn.template needs the accounts to assume it in");
        }
        if (!getString(AwsCredentialsConfig.AWS_ROLE_ARN_CONFIG).isBlank()) {
            problems.put(AwsCredentialsConfig.AWS_ROLE_ARN_CONFIG, "set aws.role.arn or aws.role.arn.template, not both");
        }
        if (!getList(DETECTOR_IDS_CONFIG).isEmpty()) {
            problems.put(DETECTOR_IDS_CONFIG, "with aws.role.arn.template each account's detectors are found with ListDetectors");
        }
        if (queueMode()) {
            problems.put(QUEUE_URL_CONFIG, "queue mode reads one queue with aws.role.arn; aws.role.arn.template is for API mode");
        }
        return problems;
    }

    /** The per-account role template, empty when one role (or none) serves every call. */
    public Optional<String> roleTemplate() {
        String template = getString(AWS_ROLE_ARN_TEMPLATE_CONFIG);
        return template.isBlank() ? Optional.empty() : Optional.of(template.trim());
    }

    /** The accounts read through {@link #roleTemplate()}. */
    public List<String> accounts() {
        return getList(ACCOUNTS_CONFIG);
    }

    /** The base credentials and the optional role. */
    public AwsCredentialsConfig credentials() {
        return AwsCredentialsConfig.of(this);
    }

    /**
     * The credentials of each account read: with {@link #roleTemplate()} one per account of {@code accounts} (keyed by the
     * account), else one for aws.role.arn or the base credentials (keyed by ""). STS is called in the first of 'regions'.
     */
    public Map<String, AwsAuth> openCredentials() {
        Map<String, AwsAuth> opened = new LinkedHashMap<>();
        Supplier<Region> stsRegion = () -> Region.of(regions().get(0));
        AwsCredentialsConfig credentials = credentials();
        if (roleTemplate().isEmpty()) {
            opened.put("", credentials.open(stsRegion));
        } else {
            for (String account : accounts()) {
                opened.put(account, credentials.open(stsRegion, AwsCredentialsConfig.roleOf(roleTemplate().get(), account)));
            }
        }
        return opened;
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

    /** The queue of queue mode. */
    public String queueUrl() {
        return getString(QUEUE_URL_CONFIG).trim();
    }

    /** An SQS client for {@code queue.url} (in the first of 'regions'). */
    public SqsClient sqsClient(AwsCredentialsProvider credentials) {
        SqsClientBuilder builder = SqsClient.builder().region(Region.of(regions().get(0))).credentialsProvider(credentials);
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        return builder.build();
    }

    /** The reader of {@code queue.url}: "GuardDuty Finding" events, each detail keyed by the finding id. */
    public EventBridgeQueueReader queueReader(AwsCredentialsProvider credentials, AwsRetries retries) {
        return new EventBridgeQueueReader(sqsClient(credentials), new EventBridgeQueueReader.Settings(queueUrl(),
            Set.of("GuardDuty Finding"), topic(), deadLetterTopic(), maxRecordBytes(), 10, 2, "id"), retries);
    }

    /** Backoff and the credentials' bounded retry of the background reader. */
    public RetryConfig retry() {
        return RetryConfig.of(this);
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

    /** A client for {@code region} signing with {@code credentials} that hands raw GetFindings bodies to {@code capture}. */
    public GuardDutyClient client(String region, RawResponseCapture capture, AwsCredentialsProvider credentials) {
        GuardDutyClientBuilder builder = GuardDutyClient.builder()
            .region(Region.of(region))
            .overrideConfiguration(c -> c.addExecutionInterceptor(capture));
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        return builder.credentialsProvider(credentials).build();
    }
}
