package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The one backoff and the retry rules every background reader follows (issue 17 item 4). */
class AwsRetriesTest {

    private static final AwsFailure THROTTLED = new AwsFailure(AwsFailure.Kind.RETRYABLE, "SlowDown", 503, "S3 GetObject throttled");
    private static final AwsFailure EXPIRED = new AwsFailure(AwsFailure.Kind.CREDENTIALS, "ExpiredToken", 400, "S3 rejected");
    private static final AwsFailure DENIED = new AwsFailure(AwsFailure.Kind.PERMANENT, "AccessDenied", 403, "s3:GetObject on x denied");

    private final AtomicLong now = new AtomicLong(1);
    private final RetryConfig config = new RetryConfig(new Backoff(Duration.ofMillis(100), Duration.ofMillis(1_000)),
        Duration.ofMinutes(5));
    private final AwsRetries retries = new AwsRetries("test reader", config, now::get);

    @Test
    void shouldJitterExponentiallyUpToTheCap() {
        Backoff backoff = config.backoff();
        for (int attempt = 0; attempt < 40; attempt++) {
            long ceiling = Math.min(1_000, 100L << Math.min(attempt, 30));
            long max = 0;
            for (int i = 0; i < 200; i++) {
                long delay = backoff.delay(attempt).toMillis();
                assertTrue(delay >= 0 && delay <= ceiling, attempt + ": " + delay);
                max = Math.max(max, delay);
            }
            assertTrue(max > ceiling / 2, "full jitter spreads over [0, " + ceiling + "]: max " + max);
        }
    }

    @Test
    void shouldGrowTheDelayDuringAStormAndStartAgainAfterASuccess() {
        long longest = 0;
        for (int i = 0; i < 30; i++) {
            longest = Math.max(longest, retries.retryOrFail(THROTTLED, null).toMillis());
        }
        assertTrue(longest > 500, "later attempts reach the cap: " + longest);
        retries.succeeded();
        for (int i = 0; i < 20; i++) {
            assertTrue(retries.retryOrFail(THROTTLED, null).toMillis() <= 100, "first step after a success");
            retries.succeeded();
        }
        assertEquals(50, retries.total());
    }

    @Test
    void shouldFailAtOnceOnAPermanentErrorWithItsMessage() {
        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class, () -> retries.retryOrFail(DENIED, null));

        assertEquals("s3:GetObject on x denied", failure.getMessage());
        assertEquals(DENIED, failure.failure());
    }

    @Test
    void shouldRetryRejectedCredentialsForABoundedTime() {
        retries.retryOrFail(EXPIRED, null);
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        retries.retryOrFail(EXPIRED, null);
        now.addAndGet(Duration.ofMinutes(2).toNanos());

        AwsCallFailedException failure = assertThrows(AwsCallFailedException.class, () -> retries.retryOrFail(EXPIRED, null));
        assertTrue(failure.getMessage().startsWith("S3 rejected") && failure.getMessage().contains("aws.credentials.retry.ms"),
            failure.getMessage());
    }

    @Test
    void shouldStartTheCredentialsClockAgainOnceACallSucceeded() {
        retries.retryOrFail(EXPIRED, null);
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        retries.succeeded();
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        retries.retryOrFail(EXPIRED, null);
        now.addAndGet(Duration.ofMinutes(4).toNanos());

        assertTrue(retries.retryOrFail(EXPIRED, null).toMillis() >= 0, "4 minutes into a new credentials failure: still retried");
    }
}
