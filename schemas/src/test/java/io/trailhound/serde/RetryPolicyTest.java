package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Backoff doubles per retry, stays within [half, full] of its step (jitter) and never exceeds the cap. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1_000));
    private final Random random = new Random(7);

    @Test
    void shouldBackOffExponentiallyWithJitterUpToTheCap() {
        long[] steps = {100, 200, 400, 800, 1_000, 1_000, 1_000};
        for (int retry = 1; retry <= steps.length; retry++) {
            for (int sample = 0; sample < 200; sample++) {
                long delay = policy.delayBefore(retry, random).toMillis();
                long step = steps[retry - 1];
                assertTrue(delay >= step / 2 && delay <= step, "retry " + retry + ": " + delay + " outside [" + step / 2 + ", " + step
                        + "]");
            }
        }
    }

    @Test
    void shouldStayBoundedForHugeRetryNumbers() {
        assertTrue(policy.delayBefore(Integer.MAX_VALUE, random).toMillis() <= 1_000);
    }

    @Test
    void shouldCountTheFirstAttempt() {
        assertEquals(1, new RetryPolicy(0, Duration.ZERO, Duration.ZERO).attempts());
        assertEquals(0, new RetryPolicy(0, Duration.ZERO, Duration.ZERO).delayBefore(1, random).toMillis());
    }

    @Test
    void shouldRejectInconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
