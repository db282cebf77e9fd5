package io.trailhound.connector.cloudtrail;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trailhound.connector.AwsCredentialsConfig;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.RetryConfig;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Typed configuration of the CloudTrail log-file source: every key with its type, default, validator and one-line doc. */
public final class CloudTrailS3SourceConfig extends OutputConfig {

    public static final String LOCATION_CONFIG = "location";
    public static final String ACCOUNTS_CONFIG = "accounts";
    public static final String REGIONS_CONFIG = "regions";
    public static final String START_DATE_CONFIG = "start.date";
    public static final String TOPIC_CONFIG = OutputConfig.TOPIC_CONFIG;
    public static final String DEADLETTER_TOPIC_CONFIG = OutputConfig.DEADLETTER_TOPIC_CONFIG;
    public static final String MAX_RECORD_BYTES_CONFIG = OutputConfig.MAX_RECORD_BYTES_CONFIG;
    public static final String MAX_FILE_BYTES_CONFIG = "max.file.bytes";
    public static final String LIST_PAGE_SIZE_CONFIG = "list.page.size";
    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
    public static final String BATCH_SIZE_CONFIG = "batch.size";
    public static final String QUEUE_CAPACITY_CONFIG = "queue.capacity";
    public static final String AWS_REGION_CONFIG = "aws.region";
    public static final String AWS_ENDPOINT_CONFIG = "aws.endpoint.override";
    public static final String AWS_ACCESS_KEY_ID_CONFIG = AwsCredentialsConfig.AWS_ACCESS_KEY_ID_CONFIG;
    public static final String AWS_SECRET_ACCESS_KEY_CONFIG = AwsCredentialsConfig.AWS_SECRET_ACCESS_KEY_CONFIG;
    public static final String LATE_WINDOW_MINUTES_CONFIG = "late.files.window.minutes";
    public static final String NOTIFICATIONS_DEDUP_MINUTES_CONFIG = "notifications.dedup.window.minutes";
    public static final String S3_PATH_STYLE_CONFIG = "s3.path.style.access";
    public static final String VALIDATE_TIMEOUT_MS_CONFIG = "validate.timeout.ms";
    public static final String NOTIFICATIONS_QUEUE_CONFIG = "notifications.queue.url";
    public static final String NOTIFICATIONS_ENDPOINT_CONFIG = "notifications.endpoint.override";
    public static final String TASK_INDEX_CONFIG = "task.index";
    public static final String TASK_COUNT_CONFIG = "task.count";

    public static final String DEFAULT_TOPIC = "trailhound.cloudtrail.raw";
    public static final String DEFAULT_DEADLETTER_TOPIC = OutputConfig.DEFAULT_DEADLETTER_TOPIC;

    private static final ConfigDef.Validator LOCATION_VALUES =
        ConfigDef.LambdaValidator.with(CloudTrailS3SourceConfig::validateLocation, () -> "s3://bucket/prefix or file:///path");
    private static final ConfigDef.Validator REGION_VALUES =
        ConfigDef.LambdaValidator.with(CloudTrailS3SourceConfig::validateRegions, () -> "region names, e.g. us-east-1");
    private static final ConfigDef.Validator DATE_VALUES =
        ConfigDef.LambdaValidator.with(CloudTrailS3SourceConfig::validateStartDate, () -> "YYYY-MM-DD or empty");

    /** The definition of every key; the README's configuration reference is generated from it. */
    public static final ConfigDef CONFIG_DEF = RetryConfig.define(AwsCredentialsConfig.define(OutputConfig.define(new ConfigDef()
        .define(LOCATION_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, LOCATION_VALUES, Importance.HIGH,
            "Where the trail's log files are: s3://bucket/prefix, or file:///path for a local copy of a trail bucket.")
        .define(ACCOUNTS_CONFIG, Type.LIST, "", AwsCredentialsConfig.ACCOUNT_IDS, Importance.MEDIUM,
            "Account ids (12 digits) to ingest; empty ingests every account found under AWSLogs/.")
        .define(REGIONS_CONFIG, Type.LIST, "", REGION_VALUES, Importance.MEDIUM,
            "Regions (e.g. us-east-1) to ingest; empty ingests every region found.")
        .define(START_DATE_CONFIG, Type.STRING, "", DATE_VALUES, Importance.MEDIUM,
            "First day (YYYY-MM-DD, UTC, from the key layout) to ingest; empty starts at the oldest file."),
            DEFAULT_TOPIC, "Topic receiving one record per CloudTrail event, the event's JSON bytes exactly as in the file.")
        .define(MAX_FILE_BYTES_CONFIG, Type.LONG, 256L * 1024 * 1024, Range.atLeast(1024L), Importance.LOW,
            "Largest decompressed log file read into memory; a larger one goes to the dead-letter topic.")
        .define(LATE_WINDOW_MINUTES_CONFIG, Type.INT, 30, Range.between(0, 24 * 60), Importance.MEDIUM,
            "Each listing starts this many minutes (by file-name time) before the newest file read and reads files of that "
                + "window not read yet: CloudTrail delivers some late.")
        .define(LIST_PAGE_SIZE_CONFIG, Type.INT, 100, Range.between(1, 1000), Importance.LOW,
            "Keys asked for per ListObjectsV2 call (one page per account/region per round).")
        .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, 30_000L, Range.atLeast(100L), Importance.MEDIUM,
            "Pause before listing again once every account/region has been read to its newest file.")
        .define(BATCH_SIZE_CONFIG, Type.INT, 2_000, Range.between(1, 100_000), Importance.LOW,
            "Most records handed to Connect per poll().")
        .define(QUEUE_CAPACITY_CONFIG, Type.INT, 20_000, Range.between(1, 1_000_000), Importance.LOW,
            "Records buffered between the background reader and poll(); bounds the task's memory.")
        .define(AWS_REGION_CONFIG, Type.STRING, "", Importance.MEDIUM,
            "Region of the S3 client; empty uses the default region provider chain (buckets elsewhere are still reachable).")
        .define(AWS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override for S3-compatible stores and tests, e.g. http://127.0.0.1:9090; empty uses AWS.")
        .define(S3_PATH_STYLE_CONFIG, Type.BOOLEAN, false, Importance.LOW,
            "Use path-style S3 URLs (needed by most S3-compatible stores and S3Mock).")
        .define(VALIDATE_TIMEOUT_MS_CONFIG, Type.LONG, 10_000L, Range.between(100L, 120_000L), Importance.LOW,
            "How long validate() waits for the access check against the location.")
        .define(NOTIFICATIONS_QUEUE_CONFIG, Type.STRING, "", Importance.MEDIUM,
            "SQS queue of the bucket's s3:ObjectCreated notifications (direct or via SNS); when set, notified files are read, not listed.")
        .define(NOTIFICATIONS_DEDUP_MINUTES_CONFIG, Type.INT, 60, Range.between(1, 24 * 60), Importance.MEDIUM,
            "Notification mode: files read this long before an account/region's newest are remembered, so a redelivered "
                + "notification is skipped; above the queue's visibility timeout.")
        .define(NOTIFICATIONS_ENDPOINT_CONFIG, Type.STRING, "", Importance.LOW,
            "Endpoint override of the SQS client (tests, private endpoints); empty uses AWS.")
        .define(TASK_INDEX_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW,
            "Set by the connector: this task's index among task.count (accounts/regions are shared out by hash).")
        .define(TASK_COUNT_CONFIG, Type.INT, 1, Range.atLeast(1), Importance.LOW,
            "Set by the connector: how many tasks share the location.")));

    /** Parses and validates {@code props}; invalid values fail with a message naming the key. */
    public CloudTrailS3SourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    public TrailLocation location() {
        return TrailLocation.parse(getString(LOCATION_CONFIG));
    }

    public List<String> accounts() {
        return getList(ACCOUNTS_CONFIG);
    }

    public List<String> regions() {
        return getList(REGIONS_CONFIG);
    }

    public Optional<LocalDate> startDate() {
        String text = getString(START_DATE_CONFIG);
        return text.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(text.trim()));
    }

    public long maxFileBytes() {
        return getLong(MAX_FILE_BYTES_CONFIG);
    }

    /** Notification mode: how far before an account/region's newest file the files read are remembered. */
    public Duration notificationsDedupWindow() {
        return Duration.ofMinutes(getInt(NOTIFICATIONS_DEDUP_MINUTES_CONFIG));
    }

    /** How far before the newest file read each listing starts again, for files delivered late with earlier keys. */
    public Duration lateFilesWindow() {
        return Duration.ofMinutes(getInt(LATE_WINDOW_MINUTES_CONFIG));
    }

    public int listPageSize() {
        return getInt(LIST_PAGE_SIZE_CONFIG);
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS_CONFIG));
    }

    public int batchSize() {
        return getInt(BATCH_SIZE_CONFIG);
    }

    public int queueCapacity() {
        return getInt(QUEUE_CAPACITY_CONFIG);
    }

    public Duration validateTimeout() {
        return Duration.ofMillis(getLong(VALIDATE_TIMEOUT_MS_CONFIG));
    }

    /** Backoff and the credentials' bounded retry of the background reader. */
    public RetryConfig retry() {
        return RetryConfig.of(this);
    }

    public String notificationsQueueUrl() {
        return getString(NOTIFICATIONS_QUEUE_CONFIG);
    }

    public int taskIndex() {
        return getInt(TASK_INDEX_CONFIG);
    }

    public int taskCount() {
        return getInt(TASK_COUNT_CONFIG);
    }

    /** The S3 and SQS client settings of this connector. */
    public AwsSettings awsSettings() {
        return new AwsSettings(getString(AWS_REGION_CONFIG), getString(AWS_ENDPOINT_CONFIG), getString(NOTIFICATIONS_ENDPOINT_CONFIG),
            getBoolean(S3_PATH_STYLE_CONFIG), AwsCredentialsConfig.of(this));
    }

    static void validateLocation(String name, Object value) {
        try {
            TrailLocation.parse((String) value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    static void validateRegions(String name, Object value) {
        for (Object region : (List<?>) value) {
            if (!region.toString().matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                throw new ConfigException(name, value, "'" + region + "' is not an AWS region name like us-east-1");
            }
        }
    }

    static void validateStartDate(String name, Object value) {
        String text = value == null ? "" : value.toString().trim();
        if (text.isEmpty()) {
            return;
        }
        try {
            LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new ConfigException(name, value, "expected a date as YYYY-MM-DD");
        }
    }
}
