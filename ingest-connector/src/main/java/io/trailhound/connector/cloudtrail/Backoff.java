package io.trailhound.connector.cloudtrail;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential retry delay with full jitter, so tasks throttled together do not retry together. */
public record Backoff(Duration base, Duration max) {

    /** The delay before retry number {@code attempt} (0-based): uniform in [base, min(max, base * 2^attempt)]. */
    public Duration delay(int attempt) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt, 30));
        long floor = Math.min(base.toMillis(), ceiling);
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
