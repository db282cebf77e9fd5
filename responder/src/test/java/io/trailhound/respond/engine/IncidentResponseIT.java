package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.IncidentStatus;
import io.trailhound.avro.Mode;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.SchemaRegistryExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * Issue #14 on a real broker and registry, AWS at the HTTP level: three alerts of one incident arrive over time (the first
 * hop, a second hop into a new account, then persistence), and containment covers the whole identity chain, root first,
 * growing with it; each AWS action exactly once, across a responder restart; an incident record that brings a new hop
 * after the restart extends it again.
 */
class IncidentResponseIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();
    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ChainLink DANA = link("arn:aws:iam::111122223333:user/dana", "AKIADANAEXAMPLE1");
    private static final ChainLink PIVOT = link("arn:aws:iam::222233334444:role/OrganizationAccountAccessRole", "ASIAPIVOT0001");
    private static final ChainLink DEPLOY = link("arn:aws:iam::333344445555:role/Deploy", "ASIADEPLOY0001");
    private static final ChainLink BACKUP = link("arn:aws:iam::444455556666:role/Backup", "ASIABACKUP0001");

    @Test
    void shouldContainTheWholeChainRootFirstGrowingWithItAndEachActionOnceAcrossARestart() throws Exception {
        Topics topics = new Topics(Map.of("schema.registry.url", REGISTRY.url()));
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals(),
                topics.deadLetter())) {
            KAFKA.createTopic(topic.name(), topic.partitions(), topic.config());
        }
        stubAws();
        try (KafkaProducer<String, Alert> alerts = EngineFixtures.producer(KAFKA, topics.alerts());
             KafkaProducer<String, Incident> incidents = EngineFixtures.producer(KAFKA, topics.incidents())) {
            try (ResponderEngine engine = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC())) {
                engine.start();
                send(alerts, topics, alert("hop-1", Severity.HIGH, DANA, PIVOT));
                awaitCalls("PutRolePolicy", 1);
                List<AwsRequest> iam = AWS.requests();
                int key = indexOf(iam, "UpdateAccessKey", "UserName", "dana");
                int pivot = indexOf(iam, "PutRolePolicy", "RoleName", "OrganizationAccountAccessRole");
                assertTrue(key >= 0 && pivot > key, "the leaked user's key before the pivot role: " + names(iam));
                assertEquals(1, count("DeleteLoginProfile"), "console access removed");
                assertEquals(1, count("PutUserPolicy"), "tokens issued before now denied");
                assertTrue(assumed("222233334444"), "the pivot role is contained in its own account");

                send(alerts, topics, alert("hop-2", Severity.MEDIUM, DANA, PIVOT, DEPLOY));
                awaitCalls("PutRolePolicy", 2);
                assertTrue(indexOf(AWS.requests(), "PutRolePolicy", "RoleName", "Deploy") >= 0, names(AWS.requests()).toString());
                assertTrue(assumed("333344445555"), "the new account");
                assertEquals(1, count("UpdateAccessKey"), "the root was contained once");
                EngineFixtures.awaitCommitted(KAFKA, topics.alerts().name(), 2, WAIT);
            }

            int before = AWS.requests().size();
            try (ResponderEngine restarted = new ResponderEngine(config(), EngineFixtures.credentials(AWS), Clock.systemUTC())) {
                restarted.start();
                send(alerts, topics, alert("persistence", Severity.HIGH, DANA, PIVOT, DEPLOY));
                EngineFixtures.awaitCommitted(KAFKA, topics.alerts().name(), 3, WAIT);
                assertEquals(before, AWS.requests().size(), "nothing of the chain is contained twice: "
                    + names(AWS.requests().subList(before, AWS.requests().size())));

                incidents.send(new ProducerRecord<>(topics.incidents().name(), "inc-chain", incident(DANA, PIVOT, DEPLOY, BACKUP))).get();
                awaitCalls("PutRolePolicy", 3);
                assertTrue(indexOf(AWS.requests(), "PutRolePolicy", "RoleName", "Backup") >= 0, "the incident record's new hop");
                assertEquals(1, count("UpdateAccessKey"));
                assertEquals(1, count("DeleteLoginProfile"));
            }
        }
    }

    private static Alert alert(String id, Severity severity, ChainLink... chain) {
        ChainLink acting = chain[chain.length - 1];
        Instant now = Instant.now();
        return TestAlerts.roleSession(acting.getPrincipalArn(), "attacker").setAlertId(id).setRuleId("TH-CT-001")
            .setRuleKind(RuleKind.SIGNATURE).setSeverity(severity).setIncidentId("inc-chain").setChain(List.of(chain))
            .setAccountId(acting.getAccountId()).setEventIds(List.of("event-" + id))
            .setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();
    }

    private static Incident incident(ChainLink... chain) {
        Instant now = Instant.now();
        return Incident.newBuilder().setIncidentId("inc-chain").setStatus(IncidentStatus.OPEN).setSeverity(Severity.HIGH)
            .setTitle("chain").setChain(List.of(chain)).setAccountIds(List.of(chain[0].getAccountId())).setRegions(List.of("us-east-1"))
            .setEntities(Entities.newBuilder().build()).setAlerts(List.of()).setFindingIds(List.of()).setTimeline(List.of())
            .setStartedAt(now.minusSeconds(600)).setLastActivityAt(now.minusSeconds(10)).setMode(Mode.LIVE).build();
    }

    private static ChainLink link(String arn, String key) {
        return ChainLink.newBuilder().setPrincipalArn(arn).setAccountId(arn.split(":")[4]).setAccessKeyId(key).build();
    }

    private static void send(KafkaProducer<String, Alert> producer, Topics topics, Alert alert) throws Exception {
        producer.send(new ProducerRecord<>(topics.alerts().name(), 0, alert.getAlertId(), alert)).get();
    }

    private static void stubAws() {
        EngineFixtures.stubIamUser(AWS, "dana", "AKIADANAEXAMPLE1");
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "The role policy does not exist");
        AWS.stubQuery(AwsQueryService.IAM, "PutRolePolicy", "");
    }

    private static int indexOf(List<AwsRequest> requests, String action, String param, String value) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).action().equals(action) && value.equals(requests.get(i).params().get(param))) {
                return i;
            }
        }
        return -1;
    }

    private static long count(String action) {
        return AWS.requests(action).size();
    }

    private static boolean assumed(String account) {
        return AWS.requests("AssumeRole").stream().anyMatch(r -> r.params().get("RoleArn").contains(":" + account + ":"));
    }

    private static List<String> names(List<AwsRequest> requests) {
        return requests.stream().map(r -> r.action() + r.params().getOrDefault("RoleName", r.params().getOrDefault("UserName", "")))
            .toList();
    }

    private static void awaitCalls(String action, int calls) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (count(action) < calls && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertEquals(calls, count(action), action + " calls: " + names(AWS.requests()));
    }

    private static ResponderConfig config() {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, REGISTRY.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, AWS.endpoint().toString());
        props.put(ResponderConfig.AWS_RETRY_BASE_DELAY_CONFIG, "5");
        return new ResponderConfig(EngineFixtures.signing(props));
    }
}
