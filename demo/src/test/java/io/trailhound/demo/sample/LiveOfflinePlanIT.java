package io.trailhound.demo.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.avro.ResponseAction;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.AlertJson;
import io.trailhound.detect.scan.OfflineScan;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSigner;
import io.trailhound.signing.SigningSerializer;
import io.trailhound.respond.engine.ResponderEngine;
import io.trailhound.respond.plan.PlanLines;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Issue #14's one contract, on the real broker: the bundled intrusion's LIVE alerts go to the running responder (dry run) and,
 * as the JSON lines {@code scan} prints, to {@code plan}; every step either takes (action, resource, account, taken or
 * skipped, approval or skip reason) is the same, and the chain root's key comes before the pivot role's deny in both.
 */
class LiveOfflinePlanIT {

    private static final KeyPair DETECTOR = Ed25519Keys.generate();

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void shouldTakeTheSameStepsLiveAsPlanPrintsOffline() throws Exception {
        SampleData sample = SampleData.generate(SampleData.DEFAULT_SEED, Instant.now());
        List<byte[]> raw = new ArrayList<>();
        sample.allEvents().forEach(e -> raw.add(e.json().toString().getBytes(StandardCharsets.UTF_8)));
        sample.findings().forEach(f -> raw.add(f.toString().getBytes(StandardCharsets.UTF_8)));
        Instant cutoff = Instant.now().minus(Duration.ofMinutes(50));
        // the intrusion's alerts, as the live pipeline would deliver them (one incident at a time, in order)
        List<Alert> alerts = new OfflineScan(Map.of(), RuleCatalog.builtIn()).run(raw).alerts().stream()
            .filter(a -> a.getLastSeen().isAfter(cutoff)).map(a -> Alert.newBuilder(a).setMode(Mode.LIVE).build())
            .sorted((a, b) -> String.valueOf(a.getIncidentId()).compareTo(String.valueOf(b.getIncidentId()))).toList();
        assertTrue(alerts.size() > 10, "the intrusion's alerts: " + alerts.size());

        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals(),
                topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        try (ResponderEngine engine = new ResponderEngine(config(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(AWS.accessKeyId(), AWS.secretAccessKey())), Clock.systemUTC());
             KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                 KAFKA.bootstrapServers()), topics.alerts().keySerde().serializer(), new SigningSerializer<>(
                 topics.alerts().valueSerde().serializer(), new RecordSigner("detect-it", DETECTOR.getPrivate())))) {
            engine.start();
            for (Alert alert : alerts) {
                // one partition, so the responder reads them in this order, as plan does
                producer.send(new ProducerRecord<>(topics.alerts().name(), 0, alert.getAlertId(), alert)).get();
            }
            Map<String, String> offline = offline(alerts);
            Map<String, String> live = live(topics.actions(), offline.size());
            assertEquals(offline, live);
        }
    }

    /** {@code plan} over the scan's JSON lines: action id → what the step is and why. */
    private static Map<String, String> offline(List<Alert> alerts) throws Exception {
        String lines = alerts.stream().map(AlertJson::json).collect(Collectors.joining("\n"));
        StringWriter out = new StringWriter();
        new PlanLines(ResponsePlanner.from(config())).run(new BufferedReader(new StringReader(lines)), new PrintWriter(out),
            new PrintWriter(new StringWriter()), Instant.now());
        Map<String, String> steps = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            JsonNode s = JSON.readTree(line);
            boolean skipped = !s.path("skippedReason").isNull();
            steps.put(s.path("actionId").asText(), s.path("action").asText() + " " + s.path("resource").asText() + " @"
                + s.path("accountId").asText() + " " + (skipped ? "SKIPPED " + s.path("skippedReason").asText()
                : "TAKEN " + (s.path("approvalReason").isNull() ? "-" : s.path("approvalReason").asText())));
        }
        return steps;
    }

    /** The responder's audit records: action id → the same description (its latest record of each step). */
    private static Map<String, String> live(Topic<String, ResponseAction> actions, int expected) {
        Map<String, String> steps = new TreeMap<>();
        try (KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KAFKA.bootstrapServers()), actions.keySerde().deserializer(), actions.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(actions.name()).stream()
                .map(p -> new TopicPartition(actions.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(WAIT);
            while ((steps.size() < expected || !caughtUp(consumer, partitions)) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    ResponseAction a = r.value();
                    boolean skipped = a.getStatus() == ActionStatus.SKIPPED;
                    steps.put(a.getActionId(), a.getAwsAction() + " " + a.getResource() + " @" + a.getAccountId() + " "
                        + (skipped ? "SKIPPED " + a.getReason() : "TAKEN " + (a.getReason() == null ? "-" : a.getReason())));
                });
            }
        }
        return steps;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
    }

    private static ResponderConfig config() {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "true");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, AWS.endpoint().toString());
        // the LIVE alerts come signed as the stream processor signs them (#19)
        props.put(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, "detect-it:" + Ed25519Keys.publicKeyText(DETECTOR.getPublic()));
        return new ResponderConfig(props);
    }
}
