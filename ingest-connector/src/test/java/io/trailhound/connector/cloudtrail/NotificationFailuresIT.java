package io.trailhound.connector.cloudtrail;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.AttributeNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsReply;
import io.trailhound.testkit.aws.S3Endpoint;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connectors' failure model on a real Connect worker (issue 17 item 4): S3 notification mode against S3 as AWS answers
 * it — S3Mock holds the objects, a WireMock in front of it proxies every call and answers chosen ones with S3's own XML
 * errors. A permanent AccessDenied on a notified object fails the task with the missing permission named in the status
 * Connect's REST API reports; a throttling storm on S3 and SQS leaves the task RUNNING and every event arrives once; a
 * notified object deleted before it was read is dead-lettered.
 */
class NotificationFailuresIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    /** What the connector's S3 client talks to: S3Mock behind a proxy that can fail chosen calls. */
    @RegisterExtension
    static final AwsEndpointExtension S3_FRONT = new AwsEndpointExtension();

    @RegisterExtension
    static final AwsEndpointExtension SQS = new AwsEndpointExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ACCOUNT = "444444444444";

    @BeforeEach
    void proxyToS3Mock() {
        S3_FRONT.wireMock().stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(S3.endpoint().toString())));
    }

    @Test
    void shouldFailTheTaskNamingTheMissingPermissionWhenANotifiedObjectIsDenied() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of(ACCOUNT), List.of("us-east-1"), LocalDate.of(2024, 5, 1), 1, 2, 5);
        S3.createBucket("denied-trail");
        trail.putTo(S3, "denied-trail", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        String denied = keys.get(1);
        // As S3 answers GetObject without s3:GetObject on the object (or the bucket policy denying it): 403 and an XML body.
        S3_FRONT.wireMock().stubFor(get(urlPathEqualTo("/denied-trail/" + denied)).atPriority(1).willReturn(aResponse()
            .withStatus(403).withHeader("Content-Type", "application/xml").withHeader("x-amz-request-id", "4442587FB7D0A2F9")
            .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                + "<RequestId>4442587FB7D0A2F9</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId>"
                + "</Error>")));
        stubNotifications(messages("denied-trail", keys, "d"));
        String connector = "notified-denied";
        CONNECT.cluster().kafka().createTopic("nd.raw", 1);
        CONNECT.cluster().configureConnector(connector, config("denied-trail", "nd.raw"));

        JsonNode status;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "nd.raw", false)) {
            reader.readUntil(r -> r.size() >= 5, Duration.ofSeconds(90));
            status = awaitTaskState(connector, "FAILED", Duration.ofSeconds(90));
            SqsStubs.awaitDeletes(SQS, "d-0");
        } finally {
            CONNECT.cluster().deleteConnector(connector);
        }

        String trace = status.at("/tasks/0/trace").asText();
        assertTrue(trace.contains("s3:GetObject on arn:aws:s3:::denied-trail/" + denied + " denied (AccessDenied)"), trace);
        assertTrue(trace.contains("grant the connector's credentials s3:GetObject on arn:aws:s3:::denied-trail/*"), trace);
        assertEquals(1, S3_FRONT.requests().stream().filter(r -> r.path().endsWith(denied) && "GET".equals(r.method())).count(),
            "a permanent error is not retried");
        String deletes = SqsStubs.awaitDeletes(SQS, "d-0");
        assertTrue(deletes.contains("\"d-0\""), "the readable file's notification is deleted: " + deletes);
        assertFalse(deletes.contains("\"d-1\""), "the denied file's notification stays on the queue: " + deletes);
    }

    @Test
    void shouldRideOutAThrottlingStormAndDeliverEveryEventOnce() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of(ACCOUNT), List.of("eu-west-1"), LocalDate.of(2024, 5, 1), 1, 4, 25);
        S3.createBucket("storm-trail");
        trail.putTo(S3, "storm-trail", "");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        // S3: the first 12 object reads get 503 SlowDown, as S3 answers past its request rate.
        String scenario = "slow-down";
        for (int i = 0; i < 12; i++) {
            S3_FRONT.wireMock().stubFor(get(urlPathMatching("/storm-trail/AWSLogs/.*")).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "throttled-" + i).willSetStateTo("throttled-" + (i + 1))
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/xml")
                    .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your "
                        + "request rate.</Message><RequestId>" + i + "</RequestId></Error>")));
        }
        // SQS: the first five receives get 400 ThrottlingException, then the notifications come.
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        List<AwsReply> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add(receive.error(400, "com.amazonaws.sqs#ThrottlingException", "Rate exceeded"));
        }
        replies.add(receive.success(messages("storm-trail", keys, "s")));
        replies.add(receive.success("{}"));
        SQS.stubSequence(receive, replies.toArray(AwsReply[]::new));
        SqsStubs.quietQueue(SQS, ACCOUNT);
        String connector = "notified-storm";
        CONNECT.cluster().kafka().createTopic("ns.raw", 1);
        CONNECT.cluster().configureConnector(connector, config("storm-trail", "ns.raw"));

        List<ConsumerRecord<byte[], byte[]>> records;
        JsonNode status;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "ns.raw", false)) {
            reader.readUntil(r -> r.size() >= trail.events().size(), Duration.ofSeconds(120));
            SqsStubs.awaitDeletes(SQS, "s-0", "s-1", "s-2", "s-3");
            records = reader.readFor(Duration.ofSeconds(3));
            status = awaitTaskState(connector, "RUNNING", Duration.ofSeconds(5));
            assertTrue(retriesCounted(connector) >= 2, "retries counted in the task's metrics: " + retriesCounted(connector));
        } finally {
            CONNECT.cluster().deleteConnector(connector);
        }

        assertEquals("RUNNING", status.at("/tasks/0/state").asText(), status.toString());
        assertEquals(12, S3_FRONT.requests().stream().filter(r -> r.path().startsWith("/storm-trail/AWSLogs/")
            && "GET".equals(r.method())).count() - keys.size(), "every SlowDown answer was used, then each file read once");
        assertTrue(SQS.requests("ReceiveMessage").size() >= 7, "the throttled receives were retried");
        assertEquals(trail.events().size(), records.size(), "each event exactly once");
        assertEquals(trail.events().keySet(), TopicReader.keySet(records));
    }

    /** A notified object deleted before it was read (a lifecycle rule): a dead letter naming it, not a failed task. */
    @Test
    void shouldDeadLetterANotifiedObjectThatNoLongerExistsAndGoOn() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of(ACCOUNT), List.of("ap-south-1"), LocalDate.of(2024, 5, 1), 1, 2, 3);
        S3.createBucket("gone-trail");
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        String gone = keys.get(1);
        S3.put("gone-trail", keys.get(0), trail.files().get(keys.get(0)));
        stubNotifications(messages("gone-trail", keys, "g"));
        String connector = "notified-gone";
        CONNECT.cluster().kafka().createTopic("ng.raw", 1);
        CONNECT.cluster().kafka().createTopic("ng.raw.dead", 1);
        CONNECT.cluster().configureConnector(connector, config("gone-trail", "ng.raw"));

        List<ConsumerRecord<byte[], byte[]>> raw;
        List<ConsumerRecord<byte[], byte[]>> dead;
        String deletes;
        JsonNode status;
        try (TopicReader rawReader = new TopicReader(CONNECT.bootstrapServers(), "ng.raw", false);
             TopicReader deadReader = new TopicReader(CONNECT.bootstrapServers(), "ng.raw.dead", false)) {
            raw = rawReader.readUntil(r -> r.size() >= 3, Duration.ofSeconds(90));
            dead = deadReader.readUntil(r -> !r.isEmpty(), Duration.ofSeconds(90));
            deletes = SqsStubs.awaitDeletes(SQS, "g-0", "g-1");
            status = awaitTaskState(connector, "RUNNING", Duration.ofSeconds(5));
        } finally {
            CONNECT.cluster().deleteConnector(connector);
        }

        assertEquals(Set.copyOf(trail.eventIdsByKey().get(keys.get(0))), TopicReader.keySet(raw));
        assertEquals(1, dead.size());
        assertEquals("s3://gone-trail/" + gone, TopicReader.header(dead.get(0), "location"));
        String reason = TopicReader.header(dead.get(0), "reason");
        assertTrue(reason.startsWith("notified but missing when read") && reason.contains("NoSuchKey"), reason);
        assertTrue(deletes.contains("\"g-0\"") && deletes.contains("\"g-1\""), "both notifications handled: " + deletes);
        assertEquals("RUNNING", status.at("/tasks/0/state").asText());
    }

    private static void stubNotifications(String messages) {
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        SQS.stubSequence(receive, receive.success(messages), receive.success("{}"));
        SqsStubs.quietQueue(SQS, ACCOUNT);
    }

    private static Map<String, String> config(String bucket, String topic) {
        Map<String, String> config = TrailConnectors.config("s3://" + bucket, topic, topic + ".dead");
        config.put("aws.endpoint.override", S3_FRONT.endpoint().toString());
        config.put("aws.region", S3.region());
        config.put("aws.access.key.id", S3.accessKeyId());
        config.put("aws.secret.access.key", S3.secretAccessKey());
        config.put("s3.path.style.access", "true");
        config.put("notifications.queue.url", SQS.endpoint() + "/" + ACCOUNT + "/trail-notifications");
        config.put("notifications.endpoint.override", SQS.endpoint().toString());
        config.put("retry.backoff.base.ms", "100");
        config.put("retry.backoff.max.ms", "1000");
        return config;
    }

    /** One notification per key, receipt handles {@code <tag>-<i>}. */
    private static String messages(String bucket, List<String> keys, String tag) throws Exception {
        List<Map<String, String>> messages = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            messages.add(SqsStubs.message(tag + "-m" + i, tag + "-" + i, SqsStubs.s3Notification(bucket, keys.get(i))));
        }
        return JSON.writeValueAsString(Map.of("Messages", messages));
    }

    /** GET /connectors/{name}/status on the worker's REST API until the task is in {@code state}; returns the status. */
    static JsonNode awaitTaskState(String connector, String state, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(CONNECT.cluster()
                .endpointForResource("connectors/" + connector + "/status"))).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                status = JSON.readTree(response.body());
                if (state.equals(status.at("/tasks/0/state").asText())) {
                    return status;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " task not " + state + " within " + wait + "; last status: " + status);
    }

    /** The task's aws-retries-total, read over JMX as an operator's monitoring would. */
    private static double retriesCounted(String connector) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + connector + ",*"), null);
        double total = 0;
        for (ObjectName name : names) {
            try {
                total += ((Number) jmx.getAttribute(name, "aws-retries-total")).doubleValue();
            } catch (AttributeNotFoundException other) {
                // another plugin of the task (converter, transformation) without the attribute
            }
        }
        return total;
    }
}
