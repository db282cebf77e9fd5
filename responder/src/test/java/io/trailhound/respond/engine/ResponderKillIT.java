package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.runbook.DenyPolicies;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * #17: a responder dies between a step's write-ahead intent and its outcome (AWS already answered the change; the process is
 * gone before the audit record: its ledger and producer are abandoned, never closed), and a new one starts later on the same
 * audit topic. The ledger it loads from Kafka has the intent with the step's exact parameters; each AWS change is made once,
 * checked at the HTTP level, and the audit topic says truthfully what happened: the intent, then one outcome.
 */
class ResponderKillIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String DENY = "inc-1|iam:PutUserPolicy|arn:aws:iam::111122223333:user/mallory|deny-tokens-issued-before-now";
    private static final String LOGIN = "inc-2|iam:DeleteLoginProfile|arn:aws:iam::111122223333:user/mallory|delete-login-profile";

    @Test
    void shouldMakeAnInterruptedAutomaticChangeOnceAfterARestartWithANewCutOff() throws Exception {
        Topics topics = topics();
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        // IAM's state: the deny is attached once it was put (with the document of the first plan)
        AwsOperation getPolicy = AwsOperation.query(AwsQueryService.IAM, "GetUserPolicy");
        AWS.stubSequence(getPolicy, getPolicy.error(404, "NoSuchEntity", "no such policy"), getPolicy.success(
            "<UserName>mallory</UserName><PolicyName>AWSRevokeOlderSessions</PolicyName><PolicyDocument>"
                + URLEncoder.encode(DenyPolicies.tokensIssuedBefore(TestAlerts.NOW), StandardCharsets.UTF_8) + "</PolicyDocument>"));

        KafkaProducer<String, ResponseAction> dying = EngineFixtures.producer(KAFKA, topics.actions());
        KafkaActionLedger abandoned = KafkaActionLedger.load(topics.actions(), dying, KAFKA.bootstrapServers());
        ActionLedger dies = EngineFixtures.killedBeforeOutcomeOf("iam:PutUserPolicy", abandoned);
        try (LocalResponder first = new LocalResponder(AWS, null, Map.of(), dies)) {
            assertThrows(EngineFixtures.Killed.class, () -> first.responder.respond(TestAlerts.iamUser().build()));
        }
        assertEquals(1, AWS.requests("PutUserPolicy").size(), "AWS made the change before the kill");

        restartAndRespond(topics, Clock.fixed(TestAlerts.NOW.plusSeconds(45), ZoneOffset.UTC), Map.of(),
            responder -> responder.respond(TestAlerts.iamUser().build()));

        for (String change : List.of("UpdateAccessKey", "PutUserPolicy", "DeleteLoginProfile")) {
            assertEquals(1, AWS.requests(change).size(), change + " requested exactly once");
        }
        assertTrue(AWS.requests("PutUserPolicy").get(0).param("PolicyDocument").contains(DenyPolicies.cutoff(TestAlerts.NOW)));
        List<ResponseAction> deny = records(topics.actions(), DENY);
        assertEquals(List.of(ActionStatus.PLANNED, ActionStatus.EXECUTED), deny.stream().map(ResponseAction::getStatus).toList(),
            "the intent, then one outcome: " + deny);
        assertEquals("policy AWSRevokeOlderSessions is already attached", deny.get(1).getReason());
        assertTrue(deny.get(0).getDetails().contains(DenyPolicies.cutoff(TestAlerts.NOW)), deny.get(0).getDetails());
        dying.close(Duration.ZERO);
    }

    @Test
    void shouldRunAnInterruptedApprovedStepOnceOnTheRedeliveredDecision() throws Exception {
        Topics topics = topics();
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        AwsOperation delete = AwsOperation.query(AwsQueryService.IAM, "DeleteLoginProfile");
        AWS.stubSequence(delete, delete.success(""), delete.error(404, "NoSuchEntity", "Login Profile for user mallory cannot be found"));
        Map<String, String> gated = Map.of(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");

        KafkaProducer<String, ResponseAction> dying = EngineFixtures.producer(KAFKA, topics.actions());
        KafkaActionLedger abandoned = KafkaActionLedger.load(topics.actions(), dying, KAFKA.bootstrapServers());
        ApprovalDecision decision;
        ActionLedger dies = EngineFixtures.killedBeforeOutcomeOf("iam:DeleteLoginProfile", abandoned);
        try (LocalResponder first = new LocalResponder(AWS, null, gated, dies)) {
            first.responder.respond(TestAlerts.iamUser().setIncidentId("inc-2").build());
            String requestId = first.approvals.requests.get(0).getRequestId();
            decision = ApprovalDecision.newBuilder().setRequestId(requestId).setActionId(LOGIN).setDecision(Decision.APPROVED)
                .setApprover("bob").setDecidedAt(TestAlerts.NOW.plusSeconds(60)).build();
            ApprovalDecision approved = decision;
            assertThrows(EngineFixtures.Killed.class, () -> first.responder.decide(approved));
        }
        assertEquals(1, AWS.requests("DeleteLoginProfile").size(), "the password was deleted before the kill");

        // the decision's offset was never committed: the restarted responder reads it again
        restartAndRespond(topics, Clock.fixed(TestAlerts.NOW.plusSeconds(120), ZoneOffset.UTC), gated,
            responder -> responder.decide(decision));

        // the executor's "already done" check for a console password is the delete itself: IAM refuses the second one
        // (NoSuchEntity), so the password was deleted once
        assertEquals(2, AWS.requests("DeleteLoginProfile").size(), "the delete, then IAM's NoSuchEntity for the check");
        List<ResponseAction> login = records(topics.actions(), LOGIN);
        assertEquals(List.of(ActionStatus.AWAITING_APPROVAL, ActionStatus.APPROVED, ActionStatus.PLANNED, ActionStatus.EXECUTED),
            login.stream().map(ResponseAction::getStatus).toList(), login.toString());
        assertEquals(decision.getRequestId(), login.get(2).getApprovalRequestId(), "the intent names the request it ran on");
        assertEquals("the user has no console password", login.get(3).getReason());
        dying.close(Duration.ZERO);
    }

    /** A new responder with a ledger loaded from the audit topic, at {@code clock}, doing {@code work}. */
    private static void restartAndRespond(Topics topics, Clock clock, Map<String, String> overrides,
                                          java.util.function.Consumer<AlertResponder> work) {
        try (KafkaProducer<String, ResponseAction> audit = EngineFixtures.producer(KAFKA, topics.actions());
             KafkaActionLedger ledger = KafkaActionLedger.load(topics.actions(), audit, KAFKA.bootstrapServers());
             LocalResponder restarted = new LocalResponder(AWS, null, overrides, ledger, clock)) {
            work.accept(restarted.responder);
            for (String incident : List.of("inc-1", "inc-2")) {
                assertTrue(ledger.incident(incident).stream().noneMatch(AuditRecords::isIntent), "every intent has its outcome");
            }
        }
    }

    private static Topics topics() {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        EngineFixtures.createTopics(KAFKA, topics);
        return topics;
    }

    /** Every record of {@code actionId} on the audit topic, in the order written (one partition per key). */
    private static List<ResponseAction> records(Topic<String, ResponseAction> topic, String actionId) {
        List<ResponseAction> values = new ArrayList<>();
        try (KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (actionId.equals(r.key())) {
                        values.add(r.value());
                    }
                });
            }
        }
        return values;
    }
}
