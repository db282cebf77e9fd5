package io.trailhound.connector;

import java.time.Duration;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The retry keys every connector shares, defined once ({@link #define}): the backoff and the credentials' bounded retry. */
public record RetryConfig(Backoff backoff, Duration credentialsRetry) {

    public static final String BACKOFF_BASE_MS_CONFIG = "retry.backoff.base.ms";
    public static final String BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final String CREDENTIALS_RETRY_MS_CONFIG = "aws.credentials.retry.ms";

    /** Adds the retry keys to {@code definition}. */
    public static ConfigDef define(ConfigDef definition) {
        return definition
            .define(BACKOFF_BASE_MS_CONFIG, Type.LONG, 500L, Range.between(1L, 600_000L), Importance.LOW,
                "First retry delay after throttling, a 5xx or an I/O error from AWS; doubles per attempt up to retry.backoff.max.ms, "
                    + "with full jitter, and starts again after a success.")
            .define(BACKOFF_MAX_MS_CONFIG, Type.LONG, 60_000L, Range.between(1L, 3_600_000L), Importance.LOW,
                "Upper bound of the retry delay.")
            .define(CREDENTIALS_RETRY_MS_CONFIG, Type.LONG, 300_000L, Range.between(0L, 86_400_000L), Importance.LOW,
                "How long AWS calls rejected for expired or invalid credentials (or with no credentials available) are retried "
                    + "before the task fails: IRSA tokens and assumed-role sessions refresh within minutes.");
    }

    /** The retry settings of {@code config} (which defined the keys of {@link #define}). */
    public static RetryConfig of(AbstractConfig config) {
        return new RetryConfig(new Backoff(Duration.ofMillis(config.getLong(BACKOFF_BASE_MS_CONFIG)),
            Duration.ofMillis(config.getLong(BACKOFF_MAX_MS_CONFIG))), Duration.ofMillis(config.getLong(CREDENTIALS_RETRY_MS_CONFIG)));
    }
}
