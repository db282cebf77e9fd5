package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** #17: transient Kafka failures are retried in place; others end the consumer thread, and liveness says so. */
class ResponderEngineFailuresTest {

    @Test
    void shouldRetryBrokerRestartsTimeoutsAndRebalancesInPlace() {
        assertTrue(ResponderEngine.isTransient(new TimeoutException("request timed out")));
        assertTrue(ResponderEngine.isTransient(new KafkaException("cannot write the audit record",
            new NotLeaderOrFollowerException("leader moved"))), "a ledger write during a broker restart");
        assertTrue(ResponderEngine.isTransient(new CommitFailedException()), "a commit lost to a rebalance");
        assertTrue(ResponderEngine.isTransient(new KafkaException("x", new java.util.concurrent.TimeoutException())));
    }

    @Test
    void shouldNotRetryWhatKafkaCannotRecoverFromByItself() {
        assertFalse(ResponderEngine.isTransient(new TopicAuthorizationException("no READ on trailhound.alerts")));
        assertFalse(ResponderEngine.isTransient(new KafkaException("unexpected")));
    }

    @Test
    void shouldBackOffExponentiallyUpToThirtySeconds() {
        assertEquals(Duration.ofMillis(500), ResponderEngine.backoff(1));
        assertEquals(Duration.ofSeconds(1), ResponderEngine.backoff(2));
        assertEquals(Duration.ofSeconds(30), ResponderEngine.backoff(20));
    }
}
