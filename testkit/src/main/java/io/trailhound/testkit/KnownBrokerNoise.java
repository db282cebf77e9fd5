package io.trailhound.testkit;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps one known, harmless broker message out of the in-JVM broker's ERROR log, and counts it.
 *
 * <p>Under transactions version 2 (KIP-890, the default from Kafka 4.0) the broker rejects a batch whose first sequence is not
 * 0 for a producer that has no state yet in the partition (KAFKA-18202, apache/kafka#19902): at the start of a transaction the
 * Streams producer may send its second batch for a partition while the first is still being verified, and the broker logs
 * {@code ERROR ... ReplicaManager - Error processing append operation ... OutOfOrderSequenceException: ... Expected sequence 0
 * for transactions v2 idempotent producer with no existing state}. The error is retriable by design: the producer resends the
 * batch in order once the first is appended, no transaction is aborted and nothing is written twice (DetectionPipelineIT and
 * IntrusionIT count the outputs exactly while it happens). Every other ReplicaManager error still reaches the log.
 */
public final class KnownBrokerNoise extends TurboFilter {

    private static final Logger LOG = LoggerFactory.getLogger(KnownBrokerNoise.class);
    private static final String LOGGER = "kafka.server.ReplicaManager";
    private static final String SIGNATURE = "Expected sequence 0 for transactions v2";
    private static final AtomicLong SEEN = new AtomicLong();

    /** Installs the filter once in this JVM's logback context (a no-op when logback is not the logging backend). */
    public static synchronized void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
            && context.getTurboFilterList().stream().noneMatch(KnownBrokerNoise.class::isInstance)) {
            KnownBrokerNoise filter = new KnownBrokerNoise();
            filter.setName("known-broker-noise");
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    /** How many of those retriable rejections the broker logged in this JVM so far. */
    public static long transactionsV2SequenceRejections() {
        return SEEN.get();
    }

    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (level == Level.ERROR && t instanceof OutOfOrderSequenceException && LOGGER.equals(logger.getName())
            && t.getMessage() != null && t.getMessage().contains(SIGNATURE)) {
            if (SEEN.incrementAndGet() == 1) {
                LOG.info("the broker rejected a batch not starting at sequence 0 for a partition new to a transaction (transactions "
                    + "v2, KAFKA-18202); the producer resends it in order, nothing is lost or duplicated; such rejections are counted,"
                    + " not logged as errors");
            }
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
