package io.trailhound.respond.engine;

import java.security.KeyPair;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.safety.Approvers;
import io.trailhound.signing.Ed25519Keys;
import io.trailhound.signing.RecordSigner;
import io.trailhound.signing.SigningSerializer;
import io.trailhound.testkit.KafkaBroker;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.topic.Topic;
import io.trailhound.topic.Topics;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** What the responder's integration tests share: the IAM user stubs, producers, the stub's credentials, commit waits. */
final class EngineFixtures {

    /** The detection pipeline's signing key in these tests. */
    static final KeyPair DETECTOR = Ed25519Keys.generate();
    /** Its key id. */
    static final String DETECTOR_KEY_ID = "detect-test";
    /** The key of approver {@code alice}. */
    static final KeyPair ALICE = Ed25519Keys.generate();

    private EngineFixtures() {
    }

    /** A ledger that dies, as a killed process would, when asked to record a record {@code dies} accepts: earlier records are kept. */
    static ActionLedger killedAt(Predicate<ResponseAction> dies, ActionLedger kept) {
        return new ActionLedger() {
            @Override
            public Optional<ResponseAction> latest(String actionId) {
                return kept.latest(actionId);
            }

            @Override
            public List<ResponseAction> incident(String incidentId) {
                return kept.incident(incidentId);
            }

            @Override
            public long count(ActionStatus status) {
                return kept.count(status);
            }

            @Override
            public void record(ResponseAction record) {
                if (dies.test(record)) {
                    throw new Killed();
                }
                kept.record(record);
            }
        };
    }

    /** A ledger that dies when asked to record the outcome of {@code action}: its intent (and any approval) is kept. */
    static ActionLedger killedBeforeOutcomeOf(String action, ActionLedger kept) {
        return killedAt(r -> r.getAwsAction().equals(action) && !AuditRecords.isIntent(r)
            && r.getStatus() != ActionStatus.AWAITING_APPROVAL && r.getStatus() != ActionStatus.APPROVED, kept);
    }

    /** The process dying: nothing after it runs, nothing is closed or flushed. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;

        Killed() {
            super("killed before the record was written");
        }
    }

    /** STS and the IAM calls of the IAM user runbook, for {@code user} holding the active key {@code key}. */
    static void stubIamUser(AwsEndpointExtension aws, String user, String key) {
        aws.stubQuery(AwsQueryService.STS, "AssumeRole", LocalResponder.ASSUME_ROLE_RESULT);
        aws.stubQuery(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata><member><UserName>" + user + "</UserName>"
            + "<AccessKeyId>" + key + "</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata>"
            + "<IsTruncated>false</IsTruncated>");
        aws.stubQuery(AwsQueryService.IAM, "UpdateAccessKey", "");
        aws.stubQueryError(AwsQueryService.IAM, "GetUserPolicy", 404, "NoSuchEntity", "The user policy does not exist");
        aws.stubQuery(AwsQueryService.IAM, "PutUserPolicy", "");
        aws.stubQuery(AwsQueryService.IAM, "DeleteLoginProfile", "");
        aws.stubQuery(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys/><IsTruncated>false</IsTruncated>");
        aws.stubQuery(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>");
        aws.stubQuery(AwsQueryService.IAM, "ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>");
    }

    /** The stub endpoint's credentials. */
    static StaticCredentialsProvider credentials(AwsEndpointExtension aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }

    /** A producer of {@code topic}'s records, signed with the detection pipeline's test key {@link #DETECTOR} (#19). */
    static <V> KafkaProducer<String, V> producer(KafkaBrokerExtension kafka, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            topic.keySerde().serializer(), new SigningSerializer<>(topic.valueSerde().serializer(),
                new RecordSigner(DETECTOR_KEY_ID, DETECTOR.getPrivate())));
    }

    /** A producer of {@code topic}'s records as anyone else would write them: no signature. */
    static <V> KafkaProducer<String, V> unsignedProducer(KafkaBrokerExtension kafka, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * The responder settings that trust {@link #DETECTOR} and let {@code alice} ({@link #ALICE}) approve every runbook in
     * every account, added to {@code props}.
     */
    static Map<String, String> signing(Map<String, String> props) {
        props.put(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, DETECTOR_KEY_ID + ":" + Ed25519Keys.publicKeyText(DETECTOR.getPublic()));
        props.put(Approvers.PREFIX + "alice" + Approvers.PUBLIC_KEY, Ed25519Keys.publicKeyText(ALICE.getPublic()));
        props.put(Approvers.PREFIX + "alice" + Approvers.RUNBOOKS, "*");
        props.put(Approvers.PREFIX + "alice" + Approvers.ACCOUNTS, "*");
        return props;
    }

    /** Waits until the responder's group committed {@code records} records of {@code topic}, or fails after {@code wait}. */
    static void awaitCommitted(KafkaBrokerExtension kafka, String topic, long records, Duration wait) throws Exception {
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline)) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets("trailhound-responder")
                .partitionsToOffsetAndMetadata().get();
            long total = committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
            if (total >= records) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the responder did not commit " + records + " records of " + topic + " within " + wait);
    }

    /** Creates the topics the responder reads and writes (alerts, incidents, actions, approvals, dead letters). */
    static void createTopics(KafkaBroker kafka, Topics topics) {
        for (Topic<?, ?> topic : List.of(topics.alerts(), topics.incidents(), topics.actions(), topics.approvals(),
                topics.deadLetter())) {
            kafka.createTopic(topic.name(), topic.partitions(), topic.config());
        }
    }

    /**
     * The settings of a responder acting (not in dry run) against the local AWS endpoint {@code aws} through {@code registryUrl},
     * with console-password deletion behind approval; the caller adds the Kafka connection.
     */
    static Map<String, String> live(String registryUrl, AwsEndpointExtension aws) {
        Map<String, String> props = new HashMap<>();
        props.put(ResponderConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl);
        props.put(ResponderConfig.DRY_RUN_CONFIG, "false");
        props.put(ResponderConfig.AWS_ENDPOINT_CONFIG, aws.endpoint().toString());
        props.put(ResponderConfig.AWS_RETRY_BASE_DELAY_CONFIG, "5");
        props.put(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");
        props.put(ResponderConfig.EXTERNAL_ID_CONFIG, "it-external-id");
        return props;
    }

    /**
     * Every audit record on {@code topic} but the write-ahead intents (#17: {@link AuditRecords#isIntent}, each followed by its
     * outcome) once there are at least {@code count}, read with {@code connection}, and whatever arrives in the {@code settle}
     * after (a record written twice would be right behind).
     */
    static List<ResponseAction> audit(Map<String, ?> connection, Topic<String, ResponseAction> topic, int count, Duration settle) {
        List<ResponseAction> values = new ArrayList<>();
        Map<String, Object> settings = new HashMap<>(connection);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, ResponseAction> consumer = new KafkaConsumer<>(settings, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (values.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> addOutcome(values, record.value()));
            }
            Instant settled = Instant.now().plus(settle);
            while (Instant.now().isBefore(settled)) {
                consumer.poll(Duration.ofMillis(300)).forEach(record -> addOutcome(values, record.value()));
            }
        }
        return values;
    }

    /** Adds {@code action} to {@code values} unless it is a write-ahead intent (#17), which says what is about to happen. */
    static void addOutcome(List<ResponseAction> values, ResponseAction action) {
        if (!AuditRecords.isIntent(action)) {
            values.add(action);
        }
    }
}
