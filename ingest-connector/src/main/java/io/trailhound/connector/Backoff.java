package io.trailhound.connector;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The connectors' one retry delay: exponential with full jitter (AWS's recommendation), so tasks throttled together do
 * not retry together; the attempt count lives with the caller ({@link AwsRetries}), which starts again at 0 on success.
 */
public record Backoff(Duration base, Duration max) {

    /** The delay before retry number {@code attempt} (0-based): uniform in [0, min(max, base * 2^attempt)]. */
    public Duration delay(int attempt) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(Math.max(attempt, 0), 30));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(ceiling, 0) + 1));
    }
}
