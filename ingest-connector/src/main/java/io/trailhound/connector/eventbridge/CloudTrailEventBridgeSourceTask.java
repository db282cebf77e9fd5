package io.trailhound.connector.eventbridge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.cloudtrail.MalformedTrailFileException;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Task of the EventBridge source: receives up to ten messages per {@link #poll()} (short long-poll), turns each into one
 * record (the event's detail, or a dead letter), and deletes a message in {@link #commitRecord} only once Kafka has
 * acknowledged its record; a failed produce leaves it on the queue to be delivered again.
 */
public class CloudTrailEventBridgeSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(CloudTrailEventBridgeSourceTask.class);
    private static final Set<String> FATAL = Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "AccessDenied",
        "AccessDeniedException", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch");

    private CloudTrailEventBridgeSourceConfig config;
    private SqsClient sqs;
    private Map<String, String> partition;
    private final Map<String, String> receipts = new ConcurrentHashMap<>();

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CloudTrailEventBridgeSourceConfig(props);
        sqs = config.sqsClient();
        partition = Map.of("queue", config.queueUrl());
        LOG.info("CloudTrail EventBridge source reading {}", config.queueUrl());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<Message> messages;
        try {
            messages = sqs.receiveMessage(r -> r.queueUrl(config.queueUrl()).maxNumberOfMessages(config.maxMessages())
                .waitTimeSeconds(config.waitSeconds())).messages();
        } catch (SdkException e) {
            if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && FATAL.contains(aws.awsErrorDetails().errorCode())) {
                throw new ConnectException("Cannot receive from " + config.queueUrl() + " (" + aws.awsErrorDetails().errorCode()
                    + "): check 'queue.url' and that the connector's credentials have sqs:ReceiveMessage and sqs:DeleteMessage on it", e);
            }
            LOG.warn("ReceiveMessage on {} failed, retrying on the next poll: {}", config.queueUrl(), e.getMessage());
            Thread.sleep(1_000);
            return null;
        }
        List<SourceRecord> records = new ArrayList<>(messages.size());
        for (Message message : messages) {
            receipts.put(message.messageId(), message.receiptHandle());
            records.add(toRecord(message));
        }
        return records.isEmpty() ? null : records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        // Null metadata means the record was not written (dropped or failed under errors.tolerance=all): keep the message.
        if (metadata == null) {
            return;
        }
        String messageId = (String) record.sourceOffset().get("message");
        String receipt = receipts.remove(messageId);
        if (receipt == null) {
            return;
        }
        try {
            sqs.deleteMessage(r -> r.queueUrl(config.queueUrl()).receiptHandle(receipt));
        } catch (SdkException e) {
            LOG.warn("Could not delete message {} from {} (it will be delivered again): {}", messageId, config.queueUrl(), e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (sqs != null) {
            sqs.close();
        }
    }

    private SourceRecord toRecord(Message message) {
        byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
        Map<String, String> offset = Map.of("message", message.messageId());
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("location", config.queueUrl() + "#" + message.messageId());
        headers.addString("queue", config.queueUrl());
        headers.addString("message.id", message.messageId());
        String reason;
        try {
            EventBridgeEnvelope envelope = EventBridgeEnvelope.parse(body);
            headers.addString("detail-type", envelope.detailType());
            if (!config.detailTypes().contains(envelope.detailType())) {
                reason = "detail-type '" + envelope.detailType() + "' is not in detail.types";
            } else if (envelope.detail().length > config.maxRecordBytes()) {
                reason = "detail of " + envelope.detail().length + " bytes exceeds max.record.bytes";
                body = null;
            } else {
                byte[] key = envelope.eventId() == null ? null : envelope.eventId().getBytes(StandardCharsets.UTF_8);
                return new SourceRecord(partition, offset, config.topic(), null, Schema.OPTIONAL_BYTES_SCHEMA, key,
                    Schema.BYTES_SCHEMA, envelope.detail(), null, headers);
            }
        } catch (MalformedTrailFileException e) {
            reason = e.getMessage();
        }
        LOG.warn("Dead-lettering message {} from {}: {}", message.messageId(), config.queueUrl(), reason);
        headers.addString("reason", reason);
        byte[] value = body != null && body.length <= config.maxRecordBytes() ? body : null;
        return new SourceRecord(partition, offset, config.deadLetterTopic(), null, Schema.OPTIONAL_BYTES_SCHEMA,
            message.messageId().getBytes(StandardCharsets.UTF_8), Schema.OPTIONAL_BYTES_SCHEMA, value, null, headers);
    }
}
