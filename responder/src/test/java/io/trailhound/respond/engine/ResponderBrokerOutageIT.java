package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Principal;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * #17: the broker goes away for 30 s while the responder is in the middle of an alert (a step is running in AWS and its audit
 * write fails). The responder resumes by itself, does every step exactly once, writes every audit record once, and handles
 * the next alert; liveness never reports it dead.
 */
class ResponderBrokerOutageIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void shouldResumeByItselfAfterABrokerOutageAndDoEveryStepOnce() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        EngineFixtures.createTopics(KAFKA, topics);
        EngineFixtures.stubIamUser(AWS, "mallory", "AKIAEXAMPLEKEY1");
        // the deny policy takes 3 s: the broker is gone when it returns, so its audit record cannot be written
        AwsOperation put = AwsOperation.query(AwsQueryService.IAM, "PutUserPolicy");
        AWS.wireMock().stubFor(put.matcher().willReturn(put.success("").toResponse().withFixedDelay(3_000)));
        Instant now = Instant.now();
        Alert first = TestAlerts.iamUser().setAlertId("outage-1").setIncidentId("inc-outage-1")
            .setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();

        try (KafkaProducer<String, Alert> alerts = EngineFixtures.producer(KAFKA, topics.alerts());
             ResponderEngine engine = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC())) {
            engine.start();
            alerts.send(new ProducerRecord<>(topics.alerts().name(), 0, first.getAlertId(), first)).get();
            awaitRequest("UpdateAccessKey");

            KAFKA.outage(Duration.ofSeconds(30));
            assertTrue(engine.problem().isEmpty(), "a broker restart is transient: " + engine.problem());

            List<ResponseAction> audit = read(topics.actions(), 8);
            assertEquals(8, audit.size(), "one audit record per step, none twice: " + audit);
            Map<String, Long> perAction = audit.stream().collect(Collectors.groupingBy(ResponseAction::getActionId,
                Collectors.counting()));
            assertTrue(perAction.values().stream().allMatch(n -> n == 1), perAction.toString());
            assertEquals(1, AWS.requests("UpdateAccessKey").size(), "the key deactivated once");
            assertEquals(1, AWS.requests("PutUserPolicy").size(), "the step running during the outage was not done again");
            assertTrue(audit.stream().filter(a -> a.getAwsAction().equals("iam:PutUserPolicy"))
                .allMatch(a -> a.getStatus() == ActionStatus.EXECUTED), audit.toString());

            // and it goes on by itself: the next alert is handled without a restart
            AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", Map.of("UserName", "trent"), "<AccessKeyMetadata><member>"
                + "<UserName>trent</UserName><AccessKeyId>AKIAEXAMPLEKEY2</AccessKeyId><Status>Active</Status></member>"
                + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>");
            Alert second = TestAlerts.iamUser().setAlertId("outage-2").setIncidentId("inc-outage-2")
                .setPrincipal(Principal.newBuilder(first.getPrincipal()).setPrincipalKey("111122223333/trent")
                    .setArn("arn:aws:iam::111122223333:user/trent").setUserName("trent").setAccessKeyId("AKIAEXAMPLEKEY2").build())
                .setEntities(Entities.newBuilder().setAccessKeyIds(List.of("AKIAEXAMPLEKEY2"))
                    .setUserNames(List.of("trent")).build())
                .setLastSeen(Instant.now().minusSeconds(5)).setDetectedAt(Instant.now()).build();
            alerts.send(new ProducerRecord<>(topics.alerts().name(), 0, second.getAlertId(), second)).get();
            assertEquals(16, read(topics.actions(), 16).size());
            assertEquals(2, AWS.requests("UpdateAccessKey").size());
            assertTrue(engine.metrics().scrape().lines().anyMatch(line -> line.startsWith("trailhound_responder_kafka_retries_total")
                && !line.endsWith(" 0.0")), "the retries are counted: " + engine.metrics().scrape());
        }
    }

    private static void awaitRequest(String operation) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (AWS.requests(operation).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no " + operation + " within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    private static ResponderConfig config() {
        Map<String, String> props = EngineFixtures.live(REGISTRY.url(), AWS);
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.KAFKA_WRITE_TIMEOUT_CONFIG, "2000");
        return new ResponderConfig(EngineFixtures.signing(props));
    }

    private static List<ResponseAction> read(Topic<String, ResponseAction> topic, int count) {
        return EngineFixtures.audit(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), topic, count, Duration.ofSeconds(3));
    }
}
