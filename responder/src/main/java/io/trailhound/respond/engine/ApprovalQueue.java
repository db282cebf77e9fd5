package io.trailhound.respond.engine;

import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.signing.DecisionSignature;
import io.trailhound.topic.ClientSettings;
import io.trailhound.topic.Topic;

/**
 * The human side of approvals on {@code trailhound.response.approvals}: lists the requests still waiting and publishes a
 * decision on one, named by its request id or action id. What {@code trailhound approvals}, {@code approve} and
 * {@code reject} run. Given the audit topic, a request waits while the responder's audit says its step waits (#19): a
 * decision on the approvals topic is only a claim until the responder has checked and applied it, so a forged or unsigned
 * one cannot hide a request from the approvers; without it, any decision on the topic settles its request.
 */
public final class ApprovalQueue implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Topic<String, ApprovalMessage> topic;
    private final Map<String, Object> connection;
    private final KafkaProducer<String, ApprovalMessage> producer;
    private final Optional<Topic<String, ResponseAction>> audit;

    public ApprovalQueue(Topic<String, ApprovalMessage> topic, String bootstrapServers) {
        this(topic, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The queue on the cluster {@code connection} names (bootstrap and Kafka security settings, see ClientSettings). */
    public ApprovalQueue(Topic<String, ApprovalMessage> topic, Map<String, ?> connection) {
        this(topic, null, connection);
    }

    /** The queue whose pending requests are those the responder's audit on {@code audit} still shows waiting. */
    public ApprovalQueue(Topic<String, ApprovalMessage> topic, Topic<String, ResponseAction> audit, Map<String, ?> connection) {
        this.topic = topic;
        this.audit = Optional.ofNullable(audit);
        this.connection = ClientSettings.kafka(connection);
        this.producer = new KafkaProducer<>(ClientSettings.kafka(connection, Map.of(
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis())),
            topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** The requests awaiting a decision at {@code now}, oldest first. */
    public List<ApprovalRequest> pending(Instant now) {
        Map<String, ApprovalRequest> requests = new LinkedHashMap<>();
        Set<String> decided = new HashSet<>();
        for (ApprovalMessage message : readAll(topic)) {
            if (message.getBody() instanceof ApprovalRequest request) {
                requests.put(request.getActionId(), request);
            } else if (message.getBody() instanceof ApprovalDecision decision) {
                decided.add(decision.getActionId());
            }
        }
        Map<String, ActionStatus> steps = new HashMap<>();
        audit.ifPresent(actions -> readAll(actions).forEach(action -> steps.put(action.getActionId(), action.getStatus())));
        List<ApprovalRequest> pending = new ArrayList<>();
        for (ApprovalRequest request : requests.values()) {
            boolean waiting = audit.isPresent() ? steps.get(request.getActionId()) == ActionStatus.AWAITING_APPROVAL
                : !decided.contains(request.getActionId());
            if (waiting && request.getExpiresAt().isAfter(now)) {
                pending.add(request);
            }
        }
        pending.sort((a, b) -> a.getRequestedAt().compareTo(b.getRequestedAt()));
        return pending;
    }

    /**
     * Publishes {@code decision} on the pending request whose request id or action id is {@code id}, signed with
     * {@code key} (#19): the decision repeats the request's account, runbook, AWS action and resource, expires with the
     * request, and carries a fresh nonce, all covered by the signature. Without a key it is unsigned, which a responder
     * requiring signatures (the default) refuses.
     *
     * @throws IllegalArgumentException when no pending request has that id
     */
    public ApprovalDecision decide(String id, Decision decision, String approver, String reason, Instant now,
                                   Optional<PrivateKey> key) {
        ApprovalRequest request = pending(now).stream()
            .filter(r -> r.getRequestId().equals(id) || r.getActionId().equals(id))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no pending approval request with id " + id));
        ApprovalDecision unsigned = ApprovalDecision.newBuilder()
            .setRequestId(request.getRequestId())
            .setActionId(request.getActionId())
            .setDecision(decision)
            .setApprover(approver)
            .setReason(reason)
            .setDecidedAt(now)
            .setAccountId(request.getAccountId())
            .setRunbook(request.getRunbook())
            .setAwsAction(request.getAwsAction())
            .setResource(request.getResource())
            .setExpiresAt(request.getExpiresAt())
            .setNonce(DecisionSignature.nonce())
            .build();
        ApprovalDecision published = key.map(k -> DecisionSignature.sign(unsigned, k)).orElse(unsigned);
        try {
            producer.send(new ProducerRecord<>(topic.name(), request.getActionId(), new ApprovalMessage(published)))
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the decision", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish the decision on " + topic.name() + ": " + e.getMessage(), e);
        }
        return published;
    }

    /** Every record of {@code from}, to its end now (one partition's records in their order). */
    private <V> List<V> readAll(Topic<String, V> from) {
        List<V> messages = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(ClientSettings.kafka(connection, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())),
            from.keySerde().deserializer(), from.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(from.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot read " + from.name() + " to its end within " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        messages.add(record.value());
                    }
                }
            }
        }
        return messages;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
