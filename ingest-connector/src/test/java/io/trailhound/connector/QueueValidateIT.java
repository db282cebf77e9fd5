package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceConnector;
import io.trailhound.connector.eventbridge.CloudTrailEventBridgeSourceConnector;
import io.trailhound.connector.guardduty.GuardDutySourceConnector;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;

import org.apache.kafka.common.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate() of the queue-reading modes asks SQS for the queue (GetQueueAttributes, within validate.timeout.ms): a denied
 * or missing queue is an error on the queue's setting that names the permission or the setting.
 */
class QueueValidateIT {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String QUEUE_ARN = "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:111122223333:q\"}}";

    @Test
    void shouldAcceptAnEventBridgeQueueSqsDescribes() {
        AWS.stubJson("AmazonSQS.GetQueueAttributes", QUEUE_ARN);

        assertEquals(List.of(), errors(new CloudTrailEventBridgeSourceConnector().validate(eventBridge()), "queue.url"));
        assertTrue(AWS.verifyCalled("GetQueueAttributes").body().contains("/111122223333/cloudtrail-events"));
    }

    @Test
    void shouldNameTheMissingPermissionWhenSqsDeniesTheEventBridgeQueue() {
        AWS.stubJsonError("AmazonSQS.GetQueueAttributes", 403, "AccessDenied",
            "User: arn:aws:iam::111122223333:user/connect is not authorized to perform: sqs:getqueueattributes");

        List<String> errors = errors(new CloudTrailEventBridgeSourceConnector().validate(eventBridge()), "queue.url");

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("sqs:GetQueueAttributes") && errors.get(0).contains("sqs:ReceiveMessage"), errors.get(0));
    }

    @Test
    void shouldNameTheSettingWhenTheQueueDoesNotExist() {
        AWS.stubJsonError("AmazonSQS.GetQueueAttributes", 400, "AWS.SimpleQueueService.NonExistentQueue",
            "The specified queue does not exist.");

        List<String> errors = errors(new CloudTrailEventBridgeSourceConnector().validate(eventBridge()), "queue.url");

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("does not exist") && errors.get(0).contains("'queue.url'"), errors.get(0));
    }

    @Test
    void shouldGiveUpAfterTheValidateTimeout() {
        AwsOperation get = AwsOperation.json("AmazonSQS.GetQueueAttributes");
        AWS.wireMock().stubFor(get.matcher().willReturn(get.success(QUEUE_ARN).toResponse().withFixedDelay(5_000)));
        Map<String, String> props = eventBridge();
        props.put("validate.timeout.ms", "300");

        long start = System.nanoTime();
        List<String> errors = errors(new CloudTrailEventBridgeSourceConnector().validate(props), "queue.url");

        assertTrue((System.nanoTime() - start) / 1_000_000 < 4_000, "validate() waited for the slow answer");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("No answer from " + AWS.endpoint() + "/111122223333/cloudtrail-events within 300 ms"),
            errors.get(0));
    }

    @Test
    void shouldCheckTheNotificationQueueOfTheLogFileSource(@TempDir Path trail) throws Exception {
        Files.createDirectories(trail.resolve("AWSLogs"));
        AWS.stubJsonError("AmazonSQS.GetQueueAttributes", 400, "QueueDoesNotExist", "The specified queue does not exist.");
        Map<String, String> props = credentials();
        props.put("location", trail.toUri().toString());
        props.put("notifications.queue.url", AWS.endpoint() + "/111122223333/trail-notifications");
        props.put("notifications.endpoint.override", AWS.endpoint().toString());

        Config result = new CloudTrailS3SourceConnector().validate(props);

        assertEquals(List.of(), errors(result, "location"));
        List<String> errors = errors(result, "notifications.queue.url");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("does not exist") && errors.get(0).contains("'notifications.queue.url'"), errors.get(0));
    }

    @Test
    void shouldCheckTheQueueOfTheGuardDutyQueueMode() {
        AWS.stubJsonError("AmazonSQS.GetQueueAttributes", 403, "AccessDenied", "not authorized");
        Map<String, String> props = credentials();
        props.put("regions", "us-east-1");
        props.put("queue.url", AWS.endpoint() + "/111122223333/guardduty-findings");

        List<String> errors = errors(new GuardDutySourceConnector().validate(props), "queue.url");

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("sqs:GetQueueAttributes"), errors.get(0));
        assertEquals(List.of(), AWS.requests("GET /detector"), "queue mode does not look for detectors");
    }

    private static Map<String, String> eventBridge() {
        Map<String, String> props = credentials();
        props.put("queue.url", AWS.endpoint() + "/111122223333/cloudtrail-events");
        return props;
    }

    private static Map<String, String> credentials() {
        Map<String, String> props = new HashMap<>();
        props.put("aws.endpoint.override", AWS.endpoint().toString());
        props.put("aws.region", AWS.region());
        props.put("aws.access.key.id", AWS.accessKeyId());
        props.put("aws.secret.access.key", AWS.secretAccessKey());
        return props;
    }

    private static List<String> errors(Config result, String key) {
        return result.configValues().stream().filter(v -> v.name().equals(key)).findFirst().orElseThrow().errorMessages();
    }
}
