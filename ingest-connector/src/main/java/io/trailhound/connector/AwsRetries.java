package io.trailhound.connector;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one background reader lives with failed AWS calls: a retryable failure waits {@link Backoff#delay} (the attempt
 * count starts again after a success), credentials failures are retried until they have lasted aws.credentials.retry.ms,
 * anything else throws {@link AwsCallFailedException} to fail the task. A storm of retries logs one WARN when it starts,
 * one summary a minute while it lasts and one line when it ends, and is counted in the task's metrics.
 */
public final class AwsRetries {

    private static final Logger LOG = LoggerFactory.getLogger(AwsRetries.class);
    private static final long SUMMARY_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final String reader;
    private final RetryConfig config;
    private final LongSupplier nanoTime;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong credentialRetries = new AtomicLong();
    private int attempt;
    private long stormStart;
    private long credentialsSince;
    private long lastSummary;
    private int sinceSummary;

    /** Retries of {@code reader} (named in log lines, e.g. "GuardDuty reader") with {@code config}. */
    public AwsRetries(String reader, RetryConfig config) {
        this(reader, config, System::nanoTime);
    }

    AwsRetries(String reader, RetryConfig config, LongSupplier nanoTime) {
        this.reader = reader;
        this.config = config;
        this.nanoTime = nanoTime;
    }

    /**
     * Counts in the task's metrics (JMX {@code kafka.connect:type=plugins,connector=...,task=...}):
     * {@code aws-retries-total} and {@code aws-credential-retries-total}. No-op without plugin metrics (tests outside a worker).
     */
    public AwsRetries registerIn(PluginMetrics metrics) {
        if (metrics != null) {
            add(metrics, "aws-retries-total", "AWS calls retried after throttling, a 5xx, a timeout or an I/O error", retries);
            add(metrics, "aws-credential-retries-total", "AWS calls retried after expired or rejected credentials", credentialRetries);
        }
        return this;
    }

    private static void add(PluginMetrics metrics, String name, String description, AtomicLong counter) {
        MetricName metric = metrics.metricName(name, description, new LinkedHashMap<>());
        metrics.addMetric(metric, (Measurable) (cfg, now) -> counter.get());
    }

    /**
     * After {@code error} from {@code call}: the delay before trying again, or {@link AwsCallFailedException} when the task
     * must fail. A {@link AwsFailure.Kind#GONE} failure is the caller's to handle before; here it fails too.
     */
    public Duration retryOrFail(AwsFailure failure, Throwable error) {
        long now = nanoTime.getAsLong();
        switch (failure.kind()) {
            case RETRYABLE -> {
                credentialsSince = 0;
                retries.incrementAndGet();
            }
            case CREDENTIALS -> {
                if (credentialsSince == 0) {
                    credentialsSince = now;
                } else if (now - credentialsSince > config.credentialsRetry().toNanos()) {
                    throw new AwsCallFailedException(failure, failure.message() + "; still failing after "
                        + config.credentialsRetry().toSeconds() + " s of retries (aws.credentials.retry.ms)", error);
                }
                credentialRetries.incrementAndGet();
            }
            default -> throw new AwsCallFailedException(failure, failure.message(), error);
        }
        Duration delay = config.backoff().delay(attempt++);
        log(failure, now, delay);
        return delay;
    }

    /** A call succeeded: the next failure starts a new storm at the first backoff step. */
    public void succeeded() {
        if (stormStart != 0) {
            LOG.info("{}: AWS calls succeed again after {} retries in {} s", reader, attempt,
                Duration.ofNanos(nanoTime.getAsLong() - stormStart).toSeconds());
        }
        attempt = 0;
        stormStart = 0;
        credentialsSince = 0;
    }

    /** Retries counted so far (retryable and credentials). */
    public long total() {
        return retries.get() + credentialRetries.get();
    }

    private void log(AwsFailure failure, long now, Duration delay) {
        if (stormStart == 0) {
            stormStart = now;
            lastSummary = now;
            sinceSummary = 0;
            if (failure.kind() == AwsFailure.Kind.CREDENTIALS) {
                LOG.warn("{}: {}; retrying for up to {} s (aws.credentials.retry.ms) before failing the task", reader, failure.message(),
                    config.credentialsRetry().toSeconds());
            } else {
                LOG.warn("{}: {}; retrying with backoff (first retry in {} ms; one summary a minute while it lasts)", reader,
                    failure.message(), delay.toMillis());
            }
            return;
        }
        sinceSummary++;
        LOG.debug("{}: retry {} in {} ms after {}", reader, attempt, delay.toMillis(), failure.message());
        if (now - lastSummary >= SUMMARY_EVERY_NANOS) {
            LOG.warn("{}: still retrying: {} retries in the last {} s ({} since the first failure {} s ago); last: {}", reader,
                sinceSummary, Duration.ofNanos(now - lastSummary).toSeconds(), attempt, Duration.ofNanos(now - stormStart).toSeconds(),
                failure.message());
            lastSummary = now;
            sinceSummary = 0;
        }
    }
}
