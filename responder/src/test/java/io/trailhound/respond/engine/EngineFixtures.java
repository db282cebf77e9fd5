package io.trailhound.respond.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;

import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.topic.Topic;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** What the responder's integration tests share: the IAM user stubs, producers, the stub's credentials, commit waits. */
final class EngineFixtures {

    private EngineFixtures() {
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

    /** A producer of {@code topic}'s records. */
    static <V> KafkaProducer<String, V> producer(KafkaBrokerExtension kafka, Topic<String, V> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            topic.keySerde().serializer(), topic.valueSerde().serializer());
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
}
