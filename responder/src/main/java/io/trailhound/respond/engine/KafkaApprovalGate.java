package io.trailhound.respond.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.topic.Topic;

/** Publishes approval requests on {@code trailhound.response.approvals}, keyed by action id like the decisions. */
public final class KafkaApprovalGate implements ApprovalGate {

    private final Topic<String, ApprovalMessage> topic;
    private final Producer<String, ApprovalMessage> producer;

    public KafkaApprovalGate(Topic<String, ApprovalMessage> topic, Producer<String, ApprovalMessage> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    @Override
    public void request(ApprovalRequest request) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), request.getActionId(), new ApprovalMessage(request)))
                .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while requesting approval of " + request.getActionId(), e);
        } catch (ExecutionException | TimeoutException e) {
            // Kafka's failure, not the alert's: the engine retries the batch in place (e.g. a broker restart)
            throw new KafkaException("cannot publish the approval request of " + request.getActionId(),
                e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }
}
