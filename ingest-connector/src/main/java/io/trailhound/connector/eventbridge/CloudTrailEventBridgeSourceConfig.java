package io.trailhound.connector.eventbridge;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.OutputConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
    public static final String AWS_REGION_CONFIG = "aws.region";
    public static final String AWS_ENDPOINT_CONFIG = "aws.endpoint.override";
    public static final String AWS_ACCESS_KEY_ID_CONFIG = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = "aws.secret.access.key";

    /** CloudTrail's EventBridge detail types. */
    public static final String DEFAULT_DETAIL_TYPES = "AWS API Call via CloudTrail,AWS Console Sign In via CloudTrail,"
        + "AWS Console Action via CloudTrail,AWS Service Event via CloudTrail,AWS Insight via CloudTrail";

    /** The definition of every key. */
    public static final ConfigDef CONFIG_DEF = OutputConfig.define(new ConfigDef()
        .define(QUEUE_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
            "URL of the SQS queue an EventBridge rule delivers CloudTrail events to.")
        .define(DETAIL_TYPES_CONFIG, Type.LIST, DEFAULT_DETAIL_TYPES, new ConfigDef.NonNullValidator(), Importance.MEDIUM,
            "EventBridge detail-types forwarded; any other message goes to the dead-letter topic."),
            "trailhound.cloudtrail.raw", "Topic receiving each event's detail (the CloudTrail record) byte for byte.")
        .define(MAX_MESSAGES_CONFIG, Type.INT, 10, Range.between(1, 10), Importance.LOW,
            "Messages asked for per ReceiveMessage call.")
        .define(WAIT_SECONDS_CONFIG, Type.INT, 2, Range.between(0, 5), Importance.LOW,
            "SQS long-poll wait per poll(); kept short so poll() returns within a few seconds.")
        .define(AWS_REGION_CONFIG, Type.STRING, "", Importance.MEDIUM,
            "Region of the SQS client; empty uses the default region provider chain.")
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override for tests and private endpoints; empty uses AWS.")
        .define(AWS_ACCESS_KEY_ID_CONFIG, Type.STRING, "", Importance.LOW,
            "Static access key id; empty uses the default credentials provider chain (recommended).")
        .define(AWS_SECRET_ACCESS_KEY_CONFIG, Type.PASSWORD, "", Importance.LOW,
            "Secret of the static access key; only used with aws.access.key.id.");

    /** Parses and validates {@code props}. */
    public CloudTrailEventBridgeSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
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

    /** Builds the SQS client: default credentials chain unless a static key is configured. */
    public SqsClient sqsClient() {
        SqsClientBuilder builder = SqsClient.builder();
        String region = getString(AWS_REGION_CONFIG);
        if (!region.isBlank()) {
            builder.region(Region.of(region.trim()));
        }
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
