package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.engine.ResponderApplication;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSigner;
import io.trailhound.signing.SigningSerializer;
import io.trailhound.testkit.EmbeddedKafkaBroker;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;

/**
 * The responder scenarios of {@code trailhound bench faults}: a fresh broker, the responder ({@link ResponderApplication}, not a
 * dry run) as its own JVM against {@link FaultBenchAws}, and signed IAM-user compromise alerts, one user each. The first alert
 * runs undisturbed and gives the number of AWS changes one runbook makes; then the others are sent and the fault injected.
 * Actions expected = that number times the alerts; executed = mutating requests AWS answered; duplicated = the same change
 * requested more than once; an alert is lost when its runbook never made its last call.
 */
final class FaultBenchRespond {

    /** What goes wrong while the responder contains. */
    enum Fault { THROTTLING, RESPONDER_KILL, BROKER_OUTAGE }

    static final Duration THROTTLING = Duration.ofSeconds(60);
    static final Duration BROKER_OUTAGE = Duration.ofSeconds(30);
    private static final Duration FINISH = Duration.ofMinutes(4);
    private static final String KEY_ID = "bench-faults";

    private final FaultBenchRegistry registry;
    private final int alerts;
    private final PrintWriter err;
    private final boolean staticMembership;
    private int inFlight;

    FaultBenchRespond(FaultBenchRegistry registry, int alerts, boolean staticMembership, PrintWriter err) {
        this.registry = registry;
        this.alerts = alerts;
        this.staticMembership = staticMembership;
        this.err = err;
    }

    FaultBenchRow run(String scenario, Fault fault) throws Exception {
        KeyPair detector = Ed25519Keys.generate();
        int slowPolicy = fault == Fault.THROTTLING ? 0 : 1_000;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of());
             FaultBenchAws aws = new FaultBenchAws(alerts, slowPolicy)) {
            Topics topics = new Topics(Map.of("schema.registry.url", registry.url()));
            FaultBenchDetect.createTopics(broker, topics);
            Topic<String, Alert> alertTopic = topics.alerts();
            try (FaultBenchProcess responder = responder(broker.bootstrapServers(), aws, detector);
                 KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                     "acks", "all", "delivery.timeout.ms", 300_000), alertTopic.keySerde().serializer(),
                     new SigningSerializer<>(alertTopic.valueSerde().serializer(), new RecordSigner(KEY_ID, detector.getPrivate())))) {
                responder.start();
                log("%s: responder started (log %s); first alert undisturbed", scenario, responder.log());
                producer.send(new ProducerRecord<>(alertTopic.name(), alert(0).getAlertId(), alert(0))).get();
                await(aws, 1, responder, Duration.ofMinutes(3));
                long perRunbook = aws.distinctChanges(FaultBenchAws.user(0));
                long faultEnd = inject(fault, broker, aws, responder, producer, alertTopic.name());
                await(aws, alerts, responder, FINISH);
                Thread.sleep(3_000);
                return row(scenario, aws, perRunbook, faultEnd, fault);
            }
        }
    }

    private long inject(Fault fault, EmbeddedKafkaBroker broker, FaultBenchAws aws, FaultBenchProcess responder,
                        KafkaProducer<String, Alert> producer, String topic) throws Exception {
        if (fault == Fault.THROTTLING) {
            log("AWS throttles every IAM call for %d s while %d alerts arrive", THROTTLING.toSeconds(), alerts - 1);
            aws.throttle(true);
        }
        for (int i = 1; i < alerts; i++) {
            producer.send(new ProducerRecord<>(topic, alert(i).getAlertId(), alert(i)));
        }
        producer.flush();
        switch (fault) {
            case THROTTLING -> {
                Thread.sleep(THROTTLING.toMillis());
                aws.throttle(false);
                log("throttling over (%d requests refused)", aws.throttledRequests());
            }
            case RESPONDER_KILL -> {
                await(aws, 1 + (alerts - 1) / 3, responder, Duration.ofMinutes(3));
                // mid-runbook: one started a while ago (its PutUserPolicy takes a second at AWS) and has not finished
                long deadline = System.currentTimeMillis() + 30_000;
                while (aws.inProgress(400) == 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                inFlight = aws.inProgress();
                log("kill -9 of the responder with %d runbooks in progress, then starting it again", inFlight);
                responder.kill();
                responder.start();
            }
            default -> {
                await(aws, 1 + (alerts - 1) / 3, responder, Duration.ofMinutes(3));
                log("stopping the broker under the responder for %d s", BROKER_OUTAGE.toSeconds());
                broker.stopBroker();
                Thread.sleep(BROKER_OUTAGE.toMillis());
                broker.startBrokerAgain();
                log("broker back");
            }
        }
        return System.currentTimeMillis();
    }

    private FaultBenchRow row(String scenario, FaultBenchAws aws, long perRunbook, long faultEnd, Fault fault) {
        List<String> changes = aws.mutating();
        long distinct = changes.stream().distinct().count();
        long lostActions = 0;
        for (int i = 0; i < alerts; i++) {
            lostActions += Math.max(0, perRunbook - aws.distinctChanges(FaultBenchAws.user(i)));
        }
        FaultBenchRow.Counts actions = new FaultBenchRow.Counts(perRunbook * alerts, changes.size(), lostActions,
            changes.size() - distinct);
        FaultBenchRow.Counts handled = new FaultBenchRow.Counts(alerts, aws.finished(), alerts - aws.finished(), 0);
        String what = switch (fault) {
            case THROTTLING -> String.format(Locale.ROOT, "%d s of 429/Throttling/RequestLimitExceeded (%d requests refused)",
                THROTTLING.toSeconds(), aws.throttledRequests());
            case RESPONDER_KILL -> "responder kill -9 with " + inFlight + " runbooks in progress, restarted";
            default -> String.format(Locale.ROOT, "broker down %d s under the responder", BROKER_OUTAGE.toSeconds());
        };
        String twice = changes.stream().filter(c -> changes.indexOf(c) != changes.lastIndexOf(c)).findFirst().map(c -> "; twice: " + c)
            .orElse("");
        // a kill between two runbooks proves nothing about a runbook interrupted mid-way: responder-kill holds only with one
        boolean condition = aws.finished() == alerts && perRunbook > 0 && (fault != Fault.RESPONDER_KILL || inFlight > 0);
        return new FaultBenchRow(scenario, alerts, aws.finished(), handled, actions, 0, aws.firstSuccessAfter(faultEnd), condition,
            String.format(Locale.ROOT, "%s: %d/%d runbooks finished, %d AWS changes per runbook, each change once: %s%s", what,
                aws.finished(), alerts, perRunbook, changes.size() == distinct, twice));
    }

    private void await(FaultBenchAws aws, int finished, FaultBenchProcess responder, Duration timeout)
        throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (aws.finished() < finished && System.currentTimeMillis() < deadline) {
            responder.checkAlive();
            Thread.sleep(100);
        }
        if (aws.finished() < finished) {
            log("only %d of %d runbooks finished within %d s", aws.finished(), finished, timeout.toSeconds());
        }
    }

    private FaultBenchProcess responder(String bootstrap, FaultBenchAws aws, KeyPair detector) throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, aws.endpoint());
        props.put(ResponderConfig.HTTP_PORT_CONFIG, "0");
        // every alert is about one account: the default breaker (25 containment actions a minute) would stop the runbooks
        props.put(ResponderConfig.BREAKER_MAX_CONFIG, "1000000");
        if (staticMembership) {
            // as a responder pod whose container is restarted (same pod name): its partitions come back when it joins
            props.put(ResponderConfig.GROUP_INSTANCE_ID_CONFIG, "bench-responder-0");
        }
        props.put(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, KEY_ID + ":" + Ed25519Keys.publicKeyText(detector.getPublic()));
        return new FaultBenchProcess("responder", ResponderApplication.class.getName(), props, List.of("-Xmx384m"),
            Map.of("AWS_ACCESS_KEY_ID", "AKIAFAULTBENCH", "AWS_SECRET_ACCESS_KEY", "faultBenchSecret", "AWS_REGION", "us-east-1"));
    }

    /** A live IAM-user compromise alert about {@code fault-user-i}, fresh (the staleness gate lets it through). */
    private static Alert alert(int i) {
        String user = FaultBenchAws.user(i);
        Instant now = Instant.now();
        return Alert.newBuilder().setAlertId("fault-alert-" + i).setIncidentId("fault-incident-" + i)
            .setRuleId("UnauthorizedAccess:IAMUser/MaliciousIPCaller").setAccountId("111122223333").setRegion("us-east-1")
            .setMode(Mode.LIVE)
            .setPrincipal(Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey("111122223333/" + user)
                .setArn("arn:aws:iam::111122223333:user/" + user).setAccountId("111122223333").setUserName(user)
                .setAccessKeyId(FaultBenchAws.key(i)).build())
            .setEntities(Entities.newBuilder().setUserNames(List.of(user)).setAccessKeyIds(List.of(FaultBenchAws.key(i))).build())
            .setFirstSeen(now.minusSeconds(60)).setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();
    }

    private void log(String format, Object... args) {
        err.println("bench faults: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }
}
