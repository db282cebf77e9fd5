package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.ops.OperationsServer;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * The responder on a real broker and schema registry: an alert in, every action out on the audit topic, an approval round
 * trip through the approvals topic, and after a restart the same alert again changes nothing.
 */
class ResponderEngineIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldAuditEveryActionAndRoundTripAnApprovalAndNotRepeatAfterARestart() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.actions(), topics.approvals(), topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        Instant now = Instant.now();
        Alert alert = TestAlerts.iamUser().setAlertId("it-1").setIncidentId("inc-it")
            .setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();

        try (KafkaProducer<String, Alert> alerts = EngineFixtures.producer(KAFKA, topics.alerts())) {
            try (ResponderEngine engine = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC())) {
                engine.start();
                try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KAFKA.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                    // an unreadable record must not stop the responder
                    raw.send(new ProducerRecord<>(topics.alerts().name(), 0, null, "not avro".getBytes(StandardCharsets.UTF_8))).get();
                }
                alerts.send(new ProducerRecord<>(topics.alerts().name(), 0, alert.getAlertId(), alert)).get();

                List<ResponseAction> audit = read(topics.actions(), records -> records.size() >= 8);
                assertEquals(8, audit.size(), audit.toString());
                ResponseAction waiting = audit.stream().filter(a -> a.getAwsAction().equals("iam:DeleteLoginProfile")).findFirst()
                    .orElseThrow();
                assertEquals(ActionStatus.AWAITING_APPROVAL, waiting.getStatus());
                assertTrue(audit.stream().filter(a -> a != waiting).allMatch(a -> a.getStatus() == ActionStatus.EXECUTED),
                    audit.toString());
                assertTrue(AWS.requests("DeleteLoginProfile").isEmpty(), "no console password deleted before the approval");
                AwsRequest assume = AWS.requests("AssumeRole").get(0);
                assertEquals("arn:aws:iam::111122223333:role/TrailhoundResponder", assume.params().get("RoleArn"));
                assertEquals("it-external-id", assume.params().get("ExternalId"), "the member accounts' trust policy requires it");

                try (ApprovalQueue queue = new ApprovalQueue(topics.approvals(), KAFKA.bootstrapServers())) {
                    List<ApprovalRequest> pending = awaitPending(queue);
                    assertEquals(List.of(waiting.getActionId()), pending.stream().map(ApprovalRequest::getActionId).toList());
                    queue.decide(pending.get(0).getRequestId(), Decision.APPROVED, "alice", "confirmed with the user's manager",
                        Instant.now(), Optional.of(EngineFixtures.ALICE.getPrivate()));
                    assertTrue(queue.pending(Instant.now()).isEmpty(), "a decided request is no longer pending");
                }

                List<ResponseAction> after = read(topics.actions(), records -> records.size() >= 10);
                assertEquals(List.of(ActionStatus.APPROVED, ActionStatus.EXECUTED),
                    after.subList(8, 10).stream().map(ResponseAction::getStatus).toList());
                assertEquals("alice", after.get(8).getActor());
                assertEquals(1, AWS.requests("DeleteLoginProfile").size());

                try (OperationsServer http = new OperationsServer(0, engine::isReady, engine.metrics()::scrape)) {
                    assertEquals(200, get(http, "/healthy").statusCode());
                    assertEquals(200, get(http, "/ready").statusCode(), "ready once the consumer has partitions");
                    String metrics = get(http, "/metrics").body();
                    assertTrue(metrics.contains("trailhound_responder_actions_total{action=\"iam:UpdateAccessKey\","
                        + "runbook=\"iam-user-compromise\",status=\"EXECUTED\"} 1.0"), metrics);
                    assertTrue(metrics.contains("trailhound_responder_approvals_pending 0.0"), metrics);
                    assertTrue(metrics.contains("trailhound_responder_alert_to_first_action_seconds_count 1"), metrics);
                    assertTrue(metrics.contains("trailhound_responder_aws_call_seconds_count{operation=\"ListAccessKeys\",service="),
                        "AWS call latency by service and operation: " + metrics);
                }
            }

            int callsBefore = AWS.requests().size();
            try (ResponderEngine restarted = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC())) {
                restarted.start();
                alerts.send(new ProducerRecord<>(topics.alerts().name(), 0, alert.getAlertId(), alert)).get();
                EngineFixtures.awaitCommitted(KAFKA, topics.alerts().name(), 3, WAIT);
            }
            assertEquals(callsBefore, AWS.requests().size(), "the re-delivered alert changed nothing: " + AWS.requests());
            assertEquals(10, read(topics.actions(), records -> true).size(), "and wrote no new audit record");
        }
    }

    private static HttpResponse<String> get(OperationsServer http, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
            .timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static List<ApprovalRequest> awaitPending(ApprovalQueue queue) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        List<ApprovalRequest> pending = queue.pending(Instant.now());
        while (pending.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            pending = queue.pending(Instant.now());
        }
        return pending;
    }

    private static ResponderConfig config() {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, AWS.endpoint().toString());
        props.put(ResponderConfig.AWS_RETRY_BASE_DELAY_CONFIG, "5");
        props.put(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");
        props.put(ResponderConfig.EXTERNAL_ID_CONFIG, "it-external-id");
        return new ResponderConfig(EngineFixtures.signing(props));
    }

    /** Every record of {@code topic} once {@code done} holds for them (or after the wait). */
    private static <V> List<V> read(Topic<String, V> topic, Predicate<List<V>> done) {
        List<V> values = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(WAIT);
            do {
                // the responder's write-ahead intents (#17) are not counted: each is followed by its step's outcome
                consumer.poll(Duration.ofMillis(300)).forEach(record -> {
                    if (!(record.value() instanceof ResponseAction action && AuditRecords.isIntent(action))) {
                        values.add(record.value());
                    }
                });
            } while (!(done.test(values) && caughtUp(consumer, partitions)) && Instant.now().isBefore(deadline));
        }
        return ordered(values);
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    /** Audit records across partitions in the order they were written. */
    @SuppressWarnings("unchecked")
    private static <V> List<V> ordered(List<V> values) {
        if (!values.isEmpty() && values.get(0) instanceof ResponseAction) {
            List<ResponseAction> actions = new ArrayList<>((List<ResponseAction>) values);
            actions.sort((a, b) -> a.getTime().compareTo(b.getTime()));
            return (List<V>) actions;
        }
        return values;
    }
}
