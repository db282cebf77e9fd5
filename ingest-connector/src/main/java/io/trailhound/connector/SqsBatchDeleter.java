package io.trailhound.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes consumed SQS messages ten per {@code DeleteMessageBatch}: callers (any thread, e.g. Connect's producer callback)
 * {@link #add} the messages whose records Kafka acknowledged, and the reader thread {@link #flush}es between receives. A
 * message that could not be deleted comes back after its visibility timeout (at least once, never lost).
 */
public final class SqsBatchDeleter {

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchDeleter.class);
    /** SQS's limit of entries per DeleteMessageBatch. */
    public static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final ConcurrentLinkedQueue<String[]> pending = new ConcurrentLinkedQueue<>();

    /** A deleter of messages of {@code queueUrl} through {@code sqs} (not closed here). */
    public SqsBatchDeleter(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Queues one message for deletion. */
    public void add(String messageId, String receiptHandle) {
        pending.add(new String[] {messageId, receiptHandle});
    }

    /** Deletes every queued message, ten per call; failures are logged (the messages will be delivered again). */
    public void flush() {
        while (!pending.isEmpty()) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(BATCH);
            String[] next;
            while (entries.size() < BATCH && (next = pending.poll()) != null) {
                // Batch entry ids allow only [A-Za-z0-9_-] and must be unique within the call.
                entries.add(DeleteMessageBatchRequestEntry.builder().id(entries.size() + "_" + next[0].replaceAll("[^A-Za-z0-9_-]", "_"))
                    .receiptHandle(next[1]).build());
            }
            try {
                DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                response.failed().forEach(f -> LOG.warn("Could not delete message {} from {} (it will be delivered again): {}",
                    f.id(), queueUrl, f.message()));
            } catch (SdkException e) {
                LOG.warn("Could not delete {} messages from {} (they will be delivered again): {}", entries.size(), queueUrl,
                    e.getMessage());
            }
        }
    }
}
