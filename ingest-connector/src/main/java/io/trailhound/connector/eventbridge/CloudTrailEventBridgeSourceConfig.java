package io.trailhound.connector.eventbridge;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.AwsCredentialsConfig;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.RetryConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** Typed configuration of the CloudTrail EventBridge source (CloudTrail events from an SQS queue an EventBridge rule feeds). */
public final class CloudTrailEventBridgeSourceConfig extends OutputConfig {

    public static final String QUEUE_URL_CONFIG = "queue.url";
    public static final String DETAIL_TYPES_CONFIG = "detail.types";
    public static final String TOPIC_CONFIG = OutputConfig.TOPIC_CONFIG;
    public static final String DEADLETTER_TOPIC_CONFIG = OutputConfig.DEADLETTER_TOPIC_CONFIG;
    public static final String MAX_RECORD_BYTES_CONFIG = OutputConfig.MAX_RECORD_BYTES_CONFIG;
    public static final String MAX_MESSAGES_CONFIG = "max.messages";
    public static final String WAIT_SECONDS_CONFIG = "wait.time.seconds";
    public static final String VALIDATE_TIMEOUT_MS_CONFIG = "validate.timeout.ms";
    public static final String AWS_REGION_CONFIG = "aws.region";
    public static final String AWS_ENDPOINT_CONFIG = "aws.endpoint.override";
    public static final String AWS_ACCESS_KEY_ID_CONFIG = AwsCredentialsConfig.AWS_ACCESS_KEY_ID_CONFIG;
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = AwsCredentialsConfig.AWS_SECRET_ACCESS_KEY_CONFIG;

    /** CloudTrail's EventBridge detail types. */
    public static final String DEFAULT_DETAIL_TYPES = "AWS API Call via CloudTrail,AWS Console Sign In via CloudTrail,"
        + "AWS Console Action via CloudTrail,AWS Service Event via CloudTrail,AWS Insight via CloudTrail";

    /** The definition of every key. */
    public static final ConfigDef CONFIG_DEF = RetryConfig.define(AwsCredentialsConfig.define(OutputConfig.define(new ConfigDef()
        .define(QUEUE_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
            "URL of the SQS queue an EventBridge rule delivers CloudTrail events to.")
        .define(DETAIL_TYPES_CONFIG, Type.LIST, DEFAULT_DETAIL_TYPES, new ConfigDef.NonNullValidator(), Importance.MEDIUM,
            "EventBridge detail-types forwarded; any other message goes to the dead-letter topic."),
            "trailhound.cloudtrail.raw", "Topic receiving each event's detail (the CloudTrail record) byte for byte.")
        .define(MAX_MESSAGES_CONFIG, Type.INT, 10, Range.between(1, 10), Importance.LOW,
            "Messages asked for per ReceiveMessage call.")
        .define(WAIT_SECONDS_CONFIG, Type.INT, 2, Range.between(0, 5), Importance.LOW,
            "SQS long-poll wait per poll(); kept short so poll() returns within a few seconds.")
        .define(VALIDATE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100L, 120_000L), Importance.LOW,
            "How long validate() waits for GetQueueAttributes on queue.url (the access check).")
        .define(AWS_REGION_CONFIG, Type.STRING, "", Importance.MEDIUM,
            "Region of the SQS client; empty uses the default region provider chain.")
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override for tests and private endpoints; empty uses AWS.")));

    /** Parses and validates {@code props}. */
    public CloudTrailEventBridgeSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    /** Backoff and the credentials' bounded retry of the background receiver. */
    public RetryConfig retry() {
        return RetryConfig.of(this);
    }

    public String queueUrl() {
        return getString(QUEUE_URL_CONFIG);
    }

    public List<String> detailTypes() {
        return getList(DETAIL_TYPES_CONFIG);
    }

    public int maxMessages() {
        return getInt(MAX_MESSAGES_CONFIG);
    }

    public int waitSeconds() {
        return getInt(WAIT_SECONDS_CONFIG);
    }

    public Duration validateTimeout() {
        return Duration.ofMillis(getLong(VALIDATE_TIMEOUT_MS_CONFIG));
    }

    /** The region of the SQS client (and of STS when a role is assumed). */
    public Region region() {
        return AwsCredentialsConfig.regionOr(getString(AWS_REGION_CONFIG));
    }

    /** The base credentials and the optional role. */
    public AwsCredentialsConfig credentials() {
        return AwsCredentialsConfig.of(this);
    }

    /** Builds the SQS client with {@code credentials} (see {@link AwsCredentialsConfig#open}). */
    public SqsClient sqsClient(AwsCredentialsProvider credentials) {
        SqsClientBuilder builder = SqsClient.builder().region(region()).credentialsProvider(credentials);
        String endpoint = getString(AWS_ENDPOINT_CONFIG);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint.trim()));
        }
        return builder.build();
    }
}
