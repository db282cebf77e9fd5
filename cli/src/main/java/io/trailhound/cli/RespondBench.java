package io.trailhound.cli;

import java.io.PrintWriter;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSigner;
import io.trailhound.signing.SigningSerializer;
import io.trailhound.respond.engine.ResponderEngine;
import io.trailhound.testkit.EmbeddedKafkaBroker;
import io.trailhound.testkit.RunningKafkaBroker;
import io.trailhound.testkit.SchemaRegistryProcess;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@code trailhound bench respond}: alerts produced to a real (in-JVM KRaft) broker, consumed by the responder engine, to
 * the first AWS request of their runbook at a local IAM endpoint; next to plain Kafka produce-to-consume latency of the same
 * serialized alerts on the same broker, measured in the same run.
 */
@Command(name = "respond", mixinStandardHelpOptions = true,
    description = "Alert produced -> responder -> first AWS request (ms, p50/p99) next to plain Kafka produce -> consume of the "
        + "same records on the same broker; target p99 < 1 s.")
final class RespondBench implements Callable<Integer> {

    static final double TARGET_P99_MS = 1000;
    private static final Duration PER_ALERT_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Option(names = "--alerts", defaultValue = "200", description = "Measured alerts, one at a time (default: ${DEFAULT-VALUE}).")
    private int alerts;

    @Option(names = "--warmup", defaultValue = "10",
        description = "Alerts sent first and not measured (client start-up, STS) (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Override
    public Integer call() throws Exception {
        if (alerts < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "need --alerts >= 1 and --warmup >= 0");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench respond: starting an in-JVM KRaft broker, a schema registry and a local IAM/STS endpoint");
        err.flush();
        try (RunningKafkaBroker broker = EmbeddedKafkaBroker.start(Map.of());
             SchemaRegistryProcess registry = SchemaRegistryProcess.start();
             RespondBenchStub aws = new RespondBenchStub()) {
            Topics topics = new Topics(Map.of("schema.registry.url", registry.url()));
            for (Topic<?, ?> topic : List.of(topics.alerts(), topics.actions(), topics.approvals(), topics.deadLetter())) {
                broker.createTopic(topic.name(), topic.partitions(), topic.config());
            }
            broker.createTopic("trailhound.bench.baseline", topics.alerts().partitions(), Map.of());
            List<Alert> all = new ArrayList<>();
            for (int i = 0; i < warmup + alerts; i++) {
                all.add(alert(i));
            }
            List<Double> baseline = baseline(broker.bootstrapServers(), topics, all);
            List<Double> ours = responder(broker.bootstrapServers(), registry.url(), aws, topics, all);
            print(baseline.subList(warmup, baseline.size()), ours.subList(warmup, ours.size()));
            return 0;
        }
    }

    /** Produce -> consume of the same serialized alerts on the same broker, one at a time. */
    private static List<Double> baseline(String bootstrap, Topics topics, List<Alert> alerts) {
        List<Double> latencies = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = DetectBenchKafka.producer(bootstrap);
             KafkaConsumer<byte[], byte[]> consumer = DetectBenchKafka.consumer(bootstrap)) {
            List<TopicPartition> partitions = DetectBenchKafka.partitions(consumer, "trailhound.bench.baseline");
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            for (Alert alert : alerts) {
                byte[] value = topics.alerts().valueSerde().serializer().serialize(topics.alerts().name(), alert);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>("trailhound.bench.baseline", alert.getAlertId(), value));
                latencies.add(awaitRecord(consumer, sent));
            }
        }
        return latencies;
    }

    private static double awaitRecord(KafkaConsumer<byte[], byte[]> consumer, long sent) {
        long deadline = sent + PER_ALERT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(100))) {
                return (System.nanoTime() - sent) / 1e6;
            }
        }
        throw new IllegalStateException("the baseline record did not come back within " + PER_ALERT_TIMEOUT);
    }

    /** Alert produced -> the responder's first AWS request about it, one alert at a time (each runbook finishes first). */
    private static List<Double> responder(String bootstrap, String registryUrl, RespondBenchStub aws, Topics topics, List<Alert> alerts)
        throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, aws.endpoint());
        props.put(ResponderConfig.GROUP_ID_CONFIG, "trailhound-bench-respond");
        // every alert is about one account: the default breaker (25 containment actions a minute) would stop the runbooks
        props.put(ResponderConfig.BREAKER_MAX_CONFIG, "1000000");
        // signed as the stream processor signs them, checked as the responder checks them (#19): the cost is in the figures
        KeyPair detector = Ed25519Keys.generate();
        props.put(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, "bench:" + Ed25519Keys.publicKeyText(detector.getPublic()));
        List<Double> latencies = new ArrayList<>();
        try (ResponderEngine engine = new ResponderEngine(new ResponderConfig(props),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIABENCH", "benchSecret")), Clock.systemUTC());
             KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all",
                 "linger.ms", 5), topics.alerts().keySerde().serializer(), new SigningSerializer<>(topics.alerts().valueSerde()
                 .serializer(), new RecordSigner("bench", detector.getPrivate())))) {
            engine.start();
            for (Alert alert : alerts) {
                String user = alert.getPrincipal().getUserName();
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topics.alerts().name(), alert.getAlertId(), alert));
                long deadline = sent + PER_ALERT_TIMEOUT.toNanos();
                while (!aws.finished(user) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Long first = aws.firstRequest(user);
                if (first == null || !aws.finished(user)) {
                    throw new IllegalStateException("the responder did not finish the runbook for " + user + " within "
                        + PER_ALERT_TIMEOUT);
                }
                latencies.add((first - sent) / 1e6);
            }
        }
        return latencies;
    }

    /** A live IAM-user compromise alert about {@code bench-user-i}, fresh (the staleness gate lets it through). */
    static Alert alert(int i) {
        String user = "bench-user-" + i;
        Instant now = Instant.now();
        return Alert.newBuilder().setAlertId("bench-alert-" + i).setIncidentId("bench-" + i).setRuleId("UnauthorizedAccess:IAMUser/"
                + "MaliciousIPCaller").setAccountId("111122223333").setRegion("us-east-1").setMode(Mode.LIVE)
            .setPrincipal(Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey("111122223333/" + user)
                .setArn("arn:aws:iam::111122223333:user/" + user).setAccountId("111122223333").setUserName(user).build())
            .setEntities(Entities.newBuilder().setUserNames(List.of(user)).build())
            .setFirstSeen(now.minusSeconds(60)).setLastSeen(now.minusSeconds(30)).setDetectedAt(now.minusSeconds(20)).build();
    }

    private void print(List<Double> baseline, List<Double> ours) {
        double ours50 = percentile(ours, 50);
        double ours99 = percentile(ours, 99);
        PrintWriter out = spec.commandLine().getOut();
        new BenchTable("respond (" + ours.size() + " alerts one at a time after " + warmup + " warm-up; in-JVM broker, local IAM)")
            .add(new BenchTable.Row("alert -> first AWS request p50", ours50, "Kafka produce -> consume p50", percentile(baseline, 50),
                "ms", false))
            .add(new BenchTable.Row("alert -> first AWS request p99", ours99, "Kafka produce -> consume p99", percentile(baseline, 99),
                "ms", false))
            .print(out);
        out.printf(Locale.ROOT, "target: alert -> first AWS request p99 < %.0f ms: %.1f ms %s%n", TARGET_P99_MS, ours99,
            ours99 < TARGET_P99_MS ? "PASS" : "FAIL");
        out.flush();
    }

    /** The nearest-rank percentile of {@code values}. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
