package io.trailhound.connector.eventbridge;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsRequest;

/** SQS messages and checks for the tests of the queue-reading sources (SQS JSON 1.0 on an {@link AwsEndpointExtension}). */
public final class SqsStubs {

    private SqsStubs() {
    }

    /**
     * A queue of {@code account} with nothing to deliver: an empty ReceiveMessage answer that takes a second, as a long poll
     * does (at a low priority, so a test's own answers come first), deletes that succeed, and the queue's attributes for
     * {@code validate()}.
     */
    public static void quietQueue(AwsEndpointExtension sqs, String account) {
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        sqs.wireMock().stubFor(receive.matcher().atPriority(10).willReturn(receive.success("{}").toResponse().withFixedDelay(1_000)));
        sqs.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        sqs.stubJson("AmazonSQS.GetQueueAttributes", "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:" + account + ":q\"}}");
    }

    /** A received message as SQS's ReceiveMessage answer lists it, with the body's MD5 the SDK verifies. */
    public static Map<String, String> message(String id, String receipt, String body) {
        try {
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
            return Map.of("MessageId", id, "ReceiptHandle", receipt, "MD5OfBody", md5, "Body", body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body S3 sends to SQS when {@code key} is created in {@code bucket} (the key URL-encoded, as S3 does). */
    public static String s3Notification(String bucket, String key) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
            + "\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\""
            + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\",\"size\":1234}}}]}";
    }

    /** Waits (up to a minute) until DeleteMessageBatch calls named every receipt handle; returns the calls' bodies. */
    public static String awaitDeletes(AwsEndpointExtension aws, String... receipts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String bodies = "";
        while (System.nanoTime() < deadline) {
            bodies = aws.requests("DeleteMessageBatch").stream().map(AwsRequest::body).reduce("", String::concat);
            String seen = bodies;
            if (Arrays.stream(receipts).allMatch(r -> seen.contains("\"ReceiptHandle\":\"" + r + "\""))) {
                return bodies;
            }
            Thread.sleep(200);
        }
        return bodies;
    }
}
