package io.trailhound.connector.eventbridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.trailhound.connector.AwsCall;
import io.trailhound.connector.AwsCallFailedException;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.SqsBatchDeleter;
import io.trailhound.connector.cloudtrail.MalformedTrailFileException;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * EventBridge events from an SQS queue, shared by the CloudTrail and GuardDuty sources: a background thread receives
 * messages into a bounded buffer (so {@link #poll()} waits at most half a second), each message becomes one record (the
 * event's {@code detail} byte for byte, or a dead letter), and a message is deleted, ten per {@code DeleteMessageBatch},
 * only after Kafka acknowledged its record; a failed produce leaves it on the queue to be delivered again. A failed
 * ReceiveMessage is classified by {@link AwsFailure}: transient ones are retried with {@link AwsRetries}' backoff, a
 * permanent one (missing queue, access denied) fails the task with the reason.
 */
public final class EventBridgeQueueReader {

    /** What to read and where to write. {@code keyMember} is the detail member used as record key. */
    public record Settings(String queueUrl, Set<String> detailTypes, String topic, String deadLetterTopic, int maxRecordBytes,
                           int maxMessages, int waitSeconds, String keyMember) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeQueueReader.class);
    /** The setting naming the queue, in both sources that read one. */
    private static final String QUEUE_SETTING = "queue.url";
    private static final int BUFFER = 100;

    private final SqsClient sqs;
    private final Settings settings;
    private final Map<String, String> partition;
    private final LinkedBlockingQueue<SourceRecord> buffer = new LinkedBlockingQueue<>(BUFFER);
    private final Map<String, String> receipts = new ConcurrentHashMap<>();
    private final SqsBatchDeleter deletes;
    private final AwsRetries retries;
    private final AwsCall receive;
    private volatile boolean running;
    private volatile String failure;
    private Thread thread;

    /** A reader of {@code settings.queueUrl()} through {@code sqs} (closed by {@link #stop()}), retrying with {@code retries}. */
    public EventBridgeQueueReader(SqsClient sqs, Settings settings, AwsRetries retries) {
        this.sqs = sqs;
        this.settings = settings;
        this.retries = retries;
        this.receive = AwsCall.sqs("ReceiveMessage", settings.queueUrl(), QUEUE_SETTING);
        this.partition = Map.of("queue", settings.queueUrl());
        this.deletes = new SqsBatchDeleter(sqs, settings.queueUrl());
    }

    /** Starts the background receiver. */
    public void start() {
        running = true;
        thread = new Thread(this::receiveLoop, "eventbridge-" + settings.queueUrl());
        thread.setDaemon(true);
        thread.start();
        LOG.info("Reading EventBridge events from {}", settings.queueUrl());
    }

    /** Up to {@value #BUFFER} records, waiting at most half a second; fails when the queue cannot be read at all. */
    public List<SourceRecord> poll() throws InterruptedException {
        if (failure != null) {
            throw new ConnectException(failure);
        }
        SourceRecord first = buffer.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<SourceRecord> records = new ArrayList<>();
        records.add(first);
        buffer.drainTo(records, BUFFER);
        return records;
    }

    /** Marks a record's message for deletion once Kafka acknowledged it (null metadata: not written, keep the message). */
    public void acknowledge(SourceRecord record, RecordMetadata metadata) {
        if (metadata == null || record.sourceOffset() == null) {
            return;
        }
        String messageId = (String) record.sourceOffset().get("message");
        String receipt = messageId == null ? null : receipts.remove(messageId);
        if (receipt != null) {
            deletes.add(messageId, receipt);
        }
    }

    /** Stops receiving within a few seconds, deletes what was acknowledged, and closes the client. */
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deletes.flush();
        sqs.close();
    }

    private void receiveLoop() {
        try {
            while (running) {
                deletes.flush();
                if (buffer.remainingCapacity() < settings.maxMessages()) {
                    Thread.sleep(50);
                } else {
                    receiveOnce();
                }
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (AwsCallFailedException e) {
            failure = e.getMessage();
            LOG.error("EventBridge reader of {} stopping: {}", settings.queueUrl(), failure);
        } catch (RuntimeException e) {
            // A bug or an input nobody foresaw: fail the task with the reason rather than leave poll() waiting forever (but an
            // SDK call interrupted by stop() is no failure).
            if (running) {
                failure = "Unexpected error reading " + settings.queueUrl() + ": " + e;
                LOG.error("EventBridge reader of {} stopping", settings.queueUrl(), e);
            }
        }
    }

    private void receiveOnce() throws InterruptedException {
        List<Message> messages;
        try {
            messages = sqs.receiveMessage(r -> r.queueUrl(settings.queueUrl()).maxNumberOfMessages(settings.maxMessages())
                .waitTimeSeconds(settings.waitSeconds())).messages();
        } catch (SdkException e) {
            if (running) {
                long delay = retries.retryOrFail(AwsFailure.of(e, receive), e).toMillis();
                long deadline = System.nanoTime() + delay * 1_000_000;
                while (running && System.nanoTime() < deadline) {
                    Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                }
            }
            return;
        }
        retries.succeeded();
        for (Message message : messages) {
            receipts.put(message.messageId(), message.receiptHandle());
            buffer.put(toRecord(message));
        }
    }

    private SourceRecord toRecord(Message message) {
        byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
        Map<String, String> offset = Map.of("message", message.messageId());
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(DeadLetters.LOCATION, settings.queueUrl() + "#" + message.messageId());
        headers.addString("queue", settings.queueUrl());
        headers.addString("message.id", message.messageId());
        String reason;
        try {
            EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(body, settings.keyMember());
            headers.addString("detail-type", envelope.detailType());
            if (envelope.account() != null) {
                headers.addString("account", envelope.account());
            }
            if (!settings.detailTypes().contains(envelope.detailType())) {
                reason = "detail-type '" + envelope.detailType() + "' is not in detail.types";
            } else if (envelope.detail().length > settings.maxRecordBytes()) {
                reason = "detail of " + envelope.detail().length + " bytes exceeds max.record.bytes";
                body = null;
            } else {
                byte[] key = envelope.key() == null ? null : envelope.key().getBytes(StandardCharsets.UTF_8);
                return new SourceRecord(partition, offset, settings.topic(), null, Schema.OPTIONAL_BYTES_SCHEMA, key,
                    Schema.BYTES_SCHEMA, envelope.detail(), null, headers);
            }
        } catch (MalformedTrailFileException e) {
            reason = e.getMessage();
        }
        LOG.warn("Dead-lettering message {} from {}: {}", message.messageId(), settings.queueUrl(), reason);
        headers.addString(DeadLetters.REASON, reason);
        headers.addString(DeadLetters.COMPONENT, OutputConfig.COMPONENT);
        byte[] value = body != null && body.length <= settings.maxRecordBytes() ? body : null;
        return new SourceRecord(partition, offset, settings.deadLetterTopic(), null, Schema.OPTIONAL_BYTES_SCHEMA,
            message.messageId().getBytes(StandardCharsets.UTF_8), Schema.OPTIONAL_BYTES_SCHEMA, value, null, headers);
    }
}
