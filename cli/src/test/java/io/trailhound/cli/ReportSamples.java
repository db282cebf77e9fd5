package io.trailhound.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.serde.TrustedAvroClasses;
import io.trailhound.topic.Topic;

/** Alerts and the like built with the generated Avro classes, and a producer that writes them with the real serdes, for tests. */
final class ReportSamples {

    static {
        // builders read Avro defaults, which instantiates our generated classes: Avro must trust them first
        TrustedAvroClasses.install();
    }

    private ReportSamples() {
    }

    /** An IAM user principal. */
    static Principal user(String account, String name, String accessKeyId) {
        String arn = "arn:aws:iam::" + account + ":user/" + name;
        return Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey(account + "|" + arn).setArn(arn)
            .setAccountId(account).setUserName(name).setAccessKeyId(accessKeyId).build();
    }

    /** A live alert with the essentials set. */
    static Alert alert(String id, String rule, Severity severity, Principal principal, String account, Instant time) {
        return Alert.newBuilder().setAlertId(id).setDedupKey(id).setRuleId(rule).setTitle("Title of " + rule).setSeverity(severity)
            .setPrincipal(principal).setChain(List.of(ChainLink.newBuilder().setPrincipalArn(principal.getArn()).build()))
            .setAccountId(account).setRegion("us-east-1").setEntities(Entities.newBuilder().build())
            .setEventIds(List.of("ev-" + id)).setFirstSeen(time).setLastSeen(time).setDetectedAt(time).setMode(Mode.LIVE).build();
    }

    /** Writes {@code values} keyed by {@code keys} with record timestamps {@code times}, with the topic's own serdes. */
    static <V> void produce(String bootstrap, Topic<String, V> topic, List<String> keys, List<V> values, List<Instant> times)
        throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(topic.name(), null, times.get(i).toEpochMilli(), keys.get(i), values.get(i))).get();
            }
        }
    }
}
