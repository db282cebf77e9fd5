package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.topic.DeadLetters;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Two responder instances in one consumer group on a real broker: one alert gives one set of actions; an unreadable alert
 * goes to the dead-letter topic with its reason while both keep going; when the instance that acted stops, the other one
 * runs the approved step it never saw requested and ignores the alert delivered again.
 */
class ResponderScaleOutIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldActOnceAcrossTwoInstancesAndHandOverTheLedger() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.actions(), topics.approvals(), topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        Instant now = Instant.now();
        Alert alert = TestAlerts.iamUser().setAlertId("scale-1").setIncidentId("inc-scale")
            .setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();
        Map<String, ResponderEngine> engines = new HashMap<>();
        try (KafkaProducer<String, Alert> alerts = EngineFixtures.producer(KAFKA, topics.alerts());
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String name : List.of("ResponderA", "ResponderB")) {
                engines.put(name, new ResponderEngine(config(name), EngineFixtures.credentials(AWS), Clock.systemUTC()));
                engines.get(name).start();
            }
            raw.send(new ProducerRecord<>(topics.alerts().name(), "bad".getBytes(StandardCharsets.UTF_8),
                "{not avro".getBytes(StandardCharsets.UTF_8))).get();
            alerts.send(new ProducerRecord<>(topics.alerts().name(), alert.getAlertId(), alert)).get();

            List<ResponseAction> audit = read(topics.actions(), records -> records.size() >= 8);
            assertEquals(8, audit.size(), audit.toString());
            assertEquals(1, AWS.requests("UpdateAccessKey").size(), "one alert, one set of actions");
            List<ConsumerRecord<byte[], byte[]>> dead = readRaw(topics.deadLetter().name());
            assertEquals(1, dead.size());
            assertEquals("{not avro", new String(dead.get(0).value(), StandardCharsets.UTF_8));
            assertTrue(header(dead.get(0), DeadLetters.REASON).startsWith("unreadable alert"), header(dead.get(0), DeadLetters.REASON));
            assertEquals("responder", header(dead.get(0), DeadLetters.COMPONENT));
            assertEquals(topics.alerts().name(), header(dead.get(0), DeadLetters.SOURCE_TOPIC));

            String actor = audit.get(0).getActor();
            assertTrue(audit.stream().allMatch(a -> a.getActor().equals(actor)), "one instance ran the runbook");
            String other = actor.equals("ResponderA") ? "ResponderB" : "ResponderA";
            engines.remove(actor).close();

            try (ApprovalQueue queue = new ApprovalQueue(topics.approvals(), KAFKA.bootstrapServers())) {
                List<ApprovalRequest> pending = queue.pending(Instant.now());
                assertEquals(1, pending.size(), pending.toString());
                queue.decide(pending.get(0).getRequestId(), Decision.APPROVED, "alice", "confirmed", Instant.now(),
                    Optional.of(EngineFixtures.ALICE.getPrivate()));
            }
            List<ResponseAction> after = read(topics.actions(), records -> records.size() >= 10);
            assertEquals(List.of(ActionStatus.APPROVED, ActionStatus.EXECUTED),
                after.subList(8, 10).stream().map(ResponseAction::getStatus).toList());
            assertEquals(other, after.get(9).getActor(), "the remaining instance ran the step the other one requested");
            assertEquals(1, AWS.requests("DeleteLoginProfile").size());

            int calls = AWS.requests().size();
            alerts.send(new ProducerRecord<>(topics.alerts().name(), alert.getAlertId(), alert)).get();
            Thread.sleep(5_000);
            assertEquals(calls, AWS.requests().size(), "the re-delivered alert changed nothing on the other instance");
            assertEquals(10, read(topics.actions(), records -> true).size());
        } finally {
            for (ResponderEngine engine : engines.values()) {
                engine.close();
            }
        }
    }

    private static ResponderConfig config(String roleName) {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, AWS.endpoint().toString());
        props.put(ResponderConfig.AWS_RETRY_BASE_DELAY_CONFIG, "5");
        props.put(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");
        props.put(ResponderConfig.ROLE_NAME_CONFIG, roleName);
        props.put(ResponderConfig.HTTP_PORT_CONFIG, "0");
        return new ResponderConfig(EngineFixtures.signing(props));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readRaw(String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
                .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(WAIT);
            while (records.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<ResponseAction> read(Topic<String, ResponseAction> topic, Predicate<List<ResponseAction>> done) {
        List<ResponseAction> values = new ArrayList<>();
        try (KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(WAIT);
            do {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> EngineFixtures.addOutcome(values, record.value()));
            } while (!(done.test(values) && caughtUp(consumer, partitions)) && Instant.now().isBefore(deadline));
        }
        values.sort((a, b) -> a.getTime().compareTo(b.getTime()));
        return values;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }
}
