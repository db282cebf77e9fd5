package io.trailhound.serde;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a registry request is retried: exponential backoff capped at {@code maxBackoff}, with jitter so
 * that many clients restarting together do not retry in lockstep.
 *
 * @param retries    retries after the first attempt (0 means one attempt only)
 * @param backoff    delay before the first retry
 * @param maxBackoff upper bound of any delay
 */
public record RetryPolicy(int retries, Duration backoff, Duration maxBackoff) {

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, was " + retries);
        }
        if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("need 0 <= backoff <= maxBackoff, was " + backoff + " and " + maxBackoff);
        }
    }

    /** Attempts in total: the first one plus the retries. */
    public int attempts() {
        return retries + 1;
    }

    /**
     * Delay before retry number {@code retry} (1 for the first retry): between half and all of
     * {@code min(maxBackoff, backoff * 2^(retry-1))}.
     */
    public Duration delayBefore(int retry, RandomGenerator random) {
        long base = backoff.toMillis();
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long exponential = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        long capped = Math.min(exponential, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + random.nextLong(capped - half + 1));
    }
}
