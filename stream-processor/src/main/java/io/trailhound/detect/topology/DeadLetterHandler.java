package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.topic.DeadLetters;
import io.trailhound.topic.Topics;

/**
 * Dead letters, never loops (#17): a record that a processor cannot process, or an internal record that cannot be
 * deserialized, is written to the dead-letter topic with the shared headers (reason, component, source topic, partition and
 * offset; key and value are the source record's bytes as they came) in the same transaction, and processing goes on with the
 * next record. Without it, a record that always fails would kill its stream thread on every retry and block its partition.
 * Configured as both Kafka Streams handlers by {@link #install} (the live app, a replay with its own topic, scan); the topic
 * comes from {@link #TOPIC_CONFIG}.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler, DeserializationExceptionHandler {

    /** Streams property naming the dead-letter topic (default {@link Topics#DEADLETTER}). */
    public static final String TOPIC_CONFIG = "trailhound.streams.deadletter.topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private static final AtomicLong DEAD_LETTERED = new AtomicLong();

    private String topic = Topics.DEADLETTER;

    @Override
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(TOPIC_CONFIG);
        if (configured != null && !configured.toString().isBlank()) {
            topic = configured.toString();
        }
    }

    /**
     * Makes this class both handlers of a Kafka Streams application (the global lineage store's updates included) and
     * names its dead-letter topic.
     */
    public static void install(Properties props, String topic) {
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        // the global store's updates too (Kafka Streams 5 does this by default)
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(TOPIC_CONFIG, topic);
    }

    /** Records this process has dead-lettered through the handlers (a gauge of the metrics). */
    public static long deadLettered() {
        return DEAD_LETTERED.get();
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        String reason = "processing failed in " + context.processorNodeId() + ": " + exception;
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, reason)));
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        String reason = "undeserializable record: " + exception;
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, reason)));
    }

    /** The dead letter of the source record {@code context} names: its raw key and value, with the reason and origin. */
    ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, String reason) {
        DEAD_LETTERED.incrementAndGet();
        LOG.warn("dead-lettered record {} {}:{} ({}): {}", context.topic(), context.partition(), context.offset(), context.taskId(),
                reason);
        Headers headers = new RecordHeaders();
        headers.add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.COMPONENT, "stream-processor".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.SOURCE_TOPIC, String.valueOf(context.topic()).getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetters.SOURCE_OFFSET, (context.partition() + ":" + context.offset()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, context.sourceRawKey(), context.sourceRawValue(), headers);
    }
}
