package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** #17: the broker's retriable transactions-v2 sequence rejection is counted, not logged as an error; other errors still are. */
class KnownBrokerNoiseTest {

    @Test
    void shouldCountTheKnownRejectionAndLetEveryOtherErrorThrough() {
        KnownBrokerNoise.install();
        KnownBrokerNoise.install();
        Logger replicaManager = (Logger) LoggerFactory.getLogger("kafka.server.ReplicaManager");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        replicaManager.addAppender(appender);
        try {
            long before = KnownBrokerNoise.transactionsV2SequenceRejections();
            replicaManager.error("[ReplicaManager broker=0] Error processing append operation on partition t-0",
                new OutOfOrderSequenceException("Invalid sequence number for producer 1 at offset 19 in partition t-0: 8 (incoming seq."
                    + " number). Expected sequence 0 for transactions v2 idempotent producer with no existing state."));
            replicaManager.error("[ReplicaManager broker=0] Error processing append operation on partition t-0",
                new OutOfOrderSequenceException("Out of order sequence number for producer 1 at offset 19 in partition t-0: 51 "
                    + "(incoming seq. number), 49 (current end sequence number)"));
            replicaManager.error("Error processing fetch", new IllegalStateException("disk"));
            assertEquals(before + 1, KnownBrokerNoise.transactionsV2SequenceRejections(), "the known rejection counted once");
            assertEquals(2, appender.list.size(), "a real out-of-order error and any other error are still logged");
        } finally {
            replicaManager.detachAppender(appender);
        }
    }
}
