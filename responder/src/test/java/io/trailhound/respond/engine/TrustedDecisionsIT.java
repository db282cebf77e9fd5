package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.IncidentStatus;
import io.trailhound.avro.Mode;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.safety.Approvers;
import io.trailhound.signing.DecisionSignature;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSigner;
import io.trailhound.signing.SigningSerializer;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Issue #19 item 2 on a real broker and registry, AWS at the HTTP level: alerts and incidents not signed by the detection
 * pipeline's key, and approval decisions that are unsigned, forged, from an unknown signer, out of the approver's scope,
 * expired, for another request or replayed, reach nothing in AWS and are each audited; one properly signed approval runs
 * the waiting step exactly once.
 */
class TrustedDecisionsIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final KeyPair MALLORY = Ed25519Keys.generate();
    private static final KeyPair BOB = Ed25519Keys.generate();

    @Test
    void shouldActOnlyOnSignedAlertsAndOnlyOnAValidSignedDecisionOnce() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals(),
                topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        try (ResponderEngine engine = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC());
             KafkaProducer<String, Alert> unsigned = EngineFixtures.unsignedProducer(KAFKA, topics.alerts());
             KafkaProducer<String, Incident> unsignedIncidents = EngineFixtures.unsignedProducer(KAFKA, topics.incidents());
             KafkaProducer<String, Alert> forged = forgedProducer(topics.alerts());
             KafkaProducer<String, Alert> signed = EngineFixtures.producer(KAFKA, topics.alerts());
             KafkaProducer<String, ApprovalMessage> approvals = EngineFixtures.unsignedProducer(KAFKA, topics.approvals());
             ApprovalQueue queue = new ApprovalQueue(topics.approvals(), KAFKA.bootstrapServers())) {
            engine.start();
            unsigned.send(new ProducerRecord<>(topics.alerts().name(), "unsigned", alert("unsigned"))).get();
            forged.send(new ProducerRecord<>(topics.alerts().name(), "forged", alert("forged"))).get();
            unsignedIncidents.send(new ProducerRecord<>(topics.incidents().name(), "inc-forged", incident())).get();
            List<ResponseAction> untrusted = read(topics.actions(), records -> records.size() >= 3);
            assertEquals(3, untrusted.size(), untrusted.toString());
            assertTrue(untrusted.stream().allMatch(a -> a.getStatus() == ActionStatus.SKIPPED && PlannedStep.isRefused(a.getActionId())),
                untrusted.toString());
            assertTrue(reasons(untrusted).contains("alert refused, nothing done: not from the detection pipeline (unsigned"),
                reasons(untrusted));
            assertTrue(reasons(untrusted).contains("(bad signature: key 'detect-test'"), reasons(untrusted));
            assertTrue(reasons(untrusted).contains("incident refused, nothing done"), reasons(untrusted));
            assertEquals(List.of(), AWS.requests(), "an untrusted alert or incident reaches nothing in AWS, not even STS");

            signed.send(new ProducerRecord<>(topics.alerts().name(), "trusted", alert("trusted"))).get();
            ApprovalRequest request = awaitPending(queue);
            assertEquals("iam:DeleteLoginProfile", request.getAwsAction());
            int calls = AWS.requests().size();
            assertTrue(calls > 0, "the signed alert was acted on");

            Map<String, ApprovalDecision> refused = new HashMap<>();
            refused.put("unsigned", decision(request, "alice", d -> d));
            refused.put("bad-signature", sign(decision(request, "alice", d -> d), MALLORY));
            refused.put("unknown-signer", sign(decision(request, "mallory", d -> d), MALLORY));
            refused.put("out-of-scope", sign(decision(request, "bob", d -> d), BOB));
            refused.put("expired", sign(decision(request, "alice", d -> d.setExpiresAt(Instant.now().minusSeconds(60))),
                EngineFixtures.ALICE));
            refused.put("mismatch", sign(decision(request, "alice", d -> d.setResource("arn:aws:iam::111122223333:user/admin")),
                EngineFixtures.ALICE));
            for (ApprovalDecision decision : refused.values()) {
                approvals.send(new ProducerRecord<>(topics.approvals().name(), request.getActionId(), new ApprovalMessage(decision))).get();
            }
            List<ResponseAction> audited = read(topics.actions(), records -> refusedDecisions(records).size() >= refused.size());
            for (String kind : refused.keySet()) {
                assertTrue(refusedDecisions(audited).stream().anyMatch(a -> a.getReason().contains("refused (" + kind + ")")),
                    kind + " not audited: " + reasons(refusedDecisions(audited)));
            }
            assertEquals(calls, AWS.requests().size(), "no refused decision reached AWS: " + AWS.requests().subList(calls,
                AWS.requests().size()));
            assertEquals(0, AWS.requests("DeleteLoginProfile").size());
            assertEquals(ActionStatus.AWAITING_APPROVAL, latest(audited, request.getActionId()).getStatus(), "the step still waits");
            try (ApprovalQueue listing = new ApprovalQueue(topics.approvals(), topics.actions(),
                    Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
                assertEquals(List.of(request.getRequestId()), listing.pending(Instant.now()).stream().map(ApprovalRequest::getRequestId)
                    .toList(), "forged and unsigned decisions on the topic do not hide the request from the approvers");
                assertTrue(queue.pending(Instant.now()).isEmpty(), "(a listing that trusts the topic is blinded by them)");
            }

            ApprovalDecision valid = sign(decision(request, "alice", d -> d), EngineFixtures.ALICE);
            approvals.send(new ProducerRecord<>(topics.approvals().name(), request.getActionId(), new ApprovalMessage(valid))).get();
            List<ResponseAction> approved = read(topics.actions(),
                records -> latest(records, request.getActionId()).getStatus() == ActionStatus.EXECUTED);
            assertEquals(ActionStatus.EXECUTED, latest(approved, request.getActionId()).getStatus());
            assertEquals("alice", approved.stream().filter(a -> a.getStatus() == ActionStatus.APPROVED).findFirst().orElseThrow()
                .getActor());
            assertEquals(1, AWS.requests("DeleteLoginProfile").size());

            approvals.send(new ProducerRecord<>(topics.approvals().name(), request.getActionId(), new ApprovalMessage(valid))).get();
            List<ResponseAction> replayed = read(topics.actions(),
                records -> refusedDecisions(records).stream().anyMatch(a -> a.getReason().contains("refused (replayed)")));
            assertTrue(reasons(refusedDecisions(replayed)).contains("refused (replayed)"), reasons(refusedDecisions(replayed)));
            EngineFixtures.awaitCommitted(KAFKA, topics.approvals().name(), refused.size() + 2, WAIT);
            assertEquals(1, AWS.requests("DeleteLoginProfile").size(), "the replayed approval ran nothing again");
            assertEquals(ActionStatus.EXECUTED, latest(replayed, request.getActionId()).getStatus(), "a refusal settles nothing");
        }
    }

    private static Alert alert(String id) {
        Instant now = Instant.now();
        return TestAlerts.iamUser().setAlertId(id).setIncidentId("inc-" + id).setSeverity(Severity.HIGH)
            .setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();
    }

    private static Incident incident() {
        Instant now = Instant.now();
        return Incident.newBuilder().setIncidentId("inc-forged").setStatus(IncidentStatus.OPEN).setSeverity(Severity.CRITICAL)
            .setTitle("forged").setChain(List.of()).setAccountIds(List.of(TestAlerts.ACCOUNT)).setRegions(List.of("us-east-1"))
            .setEntities(Entities.newBuilder().build()).setAlerts(List.of()).setFindingIds(List.of()).setTimeline(List.of())
            .setStartedAt(now.minusSeconds(600)).setLastActivityAt(now.minusSeconds(10)).setMode(Mode.LIVE).build();
    }

    /** Signed with a key that is not the pipeline's, under the pipeline's key id. */
    private static <V> KafkaProducer<String, V> forgedProducer(Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
            topic.keySerde().serializer(), new SigningSerializer<>(topic.valueSerde().serializer(),
                new RecordSigner(EngineFixtures.DETECTOR_KEY_ID, MALLORY.getPrivate())));
    }

    private static ApprovalDecision decision(ApprovalRequest request, String approver, UnaryOperator<ApprovalDecision.Builder> change) {
        return change.apply(ApprovalDecision.newBuilder().setRequestId(request.getRequestId()).setActionId(request.getActionId())
            .setDecision(Decision.APPROVED).setApprover(approver).setReason("it").setAccountId(request.getAccountId())
            .setRunbook(request.getRunbook()).setAwsAction(request.getAwsAction()).setResource(request.getResource())
            .setDecidedAt(Instant.now()).setExpiresAt(request.getExpiresAt()).setNonce(DecisionSignature.nonce())).build();
    }

    private static ApprovalDecision sign(ApprovalDecision decision, KeyPair key) {
        return DecisionSignature.sign(decision, key.getPrivate());
    }

    private static List<ResponseAction> refusedDecisions(List<ResponseAction> records) {
        return records.stream().filter(a -> a.getActionId().contains("|refused:decision:")).toList();
    }

    private static String reasons(List<ResponseAction> records) {
        return records.stream().map(ResponseAction::getReason).toList().toString();
    }

    private static ResponseAction latest(List<ResponseAction> records, String actionId) {
        ResponseAction found = null;
        for (ResponseAction record : records) {
            if (record.getActionId().equals(actionId)) {
                found = record;
            }
        }
        return found == null ? ResponseAction.newBuilder().setActionId(actionId).build() : found;
    }

    private static ApprovalRequest awaitPending(ApprovalQueue queue) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        List<ApprovalRequest> pending = queue.pending(Instant.now());
        while (pending.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            pending = queue.pending(Instant.now());
        }
        assertEquals(1, pending.size(), pending.toString());
        return pending.get(0);
    }

    private static ResponderConfig config() {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, AWS.endpoint().toString());
        props.put(ResponderConfig.AWS_RETRY_BASE_DELAY_CONFIG, "5");
        props.put(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");
        props.put(ResponderConfig.HTTP_PORT_CONFIG, "0");
        EngineFixtures.signing(props);
        props.put(Approvers.PREFIX + "bob" + Approvers.PUBLIC_KEY, Ed25519Keys.publicKeyText(BOB.getPublic()));
        props.put(Approvers.PREFIX + "bob" + Approvers.RUNBOOKS, "ec2-compromise");
        props.put(Approvers.PREFIX + "bob" + Approvers.ACCOUNTS, "*");
        return new ResponderConfig(props);
    }

    /** Every audit record but the intents once {@code done} holds for them (or after the wait), in the order written. */
    private static List<ResponseAction> read(Topic<String, ResponseAction> topic, Predicate<List<ResponseAction>> done) {
        List<ResponseAction> values = new ArrayList<>();
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            values.clear();
            try (KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KAFKA.bootstrapServers()), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    consumer.poll(Duration.ofMillis(300)).forEach(record -> EngineFixtures.addOutcome(values, record.value()));
                }
            }
            values.sort((a, b) -> a.getTime().compareTo(b.getTime()));
            if (done.test(values)) {
                return values;
            }
            sleep();
        }
        return values;
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
