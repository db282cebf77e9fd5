package io.trailhound.connector.guardduty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.TopicReader;
import io.trailhound.connector.eventbridge.SqsStubs;
import io.trailhound.connector.guardduty.FakeGuardDuty.Finding;
import io.trailhound.testkit.ConnectClusterExtension;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GuardDuty source on a real Connect worker and broker, against {@link FakeGuardDuty} (GuardDuty's REST-JSON protocol
 * on WireMock): every update emitted once and none lost while findings move between pages, samples skipped, a
 * delegated administrator's findings of several accounts and regions, resume after a worker restart, alterOffsets
 * validation and rewind, and AccessDenied failing the task with the permission to grant (issue 3).
 */
class GuardDutySourceIT {

    static final FakeGuardDuty GUARDDUTY = new FakeGuardDuty();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension(GUARDDUTY);

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");

    @BeforeEach
    void stubGuardDuty() {
        GUARDDUTY.reset();
        AWS.wireMock().stubFor(any(urlPathMatching("/detector.*")).willReturn(aResponse().withStatus(200)));
    }

    @Test
    void shouldEmitEveryUpdateOnceAndLoseNoneWhileFindingsMoveBetweenPages() throws Exception {
        GUARDDUTY.detector("us-east-1", "d-1");
        for (int i = 0; i < 12; i++) {
            GUARDDUTY.put(new Finding("d-1", "f-%02d".formatted(i), ACCOUNTS.get(i % 3), GuardDutyConnectors.T0 + i * 1000L, 1, i == 5));
        }
        // While the first round pages through: the oldest finding is updated after the first page (every later finding
        // shifts one place up in the sort order), and the last finding asked for on the second GetFindings is updated
        // between its listing and its fetch.
        GUARDDUTY.afterList(n -> {
            if (n == 1) {
                GUARDDUTY.update("d-1", "f-00", GuardDutyConnectors.T0 + 100_000);
            }
        });
        GUARDDUTY.beforeGet((n, ids) -> {
            if (n == 2) {
                GUARDDUTY.update("d-1", ids.get(ids.size() - 1), GuardDutyConnectors.T0 + 200_000);
            }
        });
        CONNECT.cluster().kafka().createTopic("gd.updates", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1", "gd.updates");
        config.put("page.size", "3");
        CONNECT.cluster().configureConnector("gd-updates", config);

        long same = GuardDutyConnectors.T0 + 300_000;
        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.updates", false)) {
            awaitFinalVersions(reader);
            // Two updates in the same millisecond, read in different rounds, then a third update of the first finding in
            // that same millisecond (only its count rises).
            for (String id : List.of("f-01", "f-02", "f-01")) {
                Finding updated = GUARDDUTY.update("d-1", id, same);
                reader.readUntil(r -> GuardDutyConnectors.versions(r).contains(id + "#" + updated.count()), WAIT);
            }
            records = reader.readFor(Duration.ofSeconds(3));
        }
        CONNECT.cluster().deleteConnector("gd-updates");

        List<String> versions = GuardDutyConnectors.versions(records);
        assertEquals(versions.size(), new HashSet<>(versions).size(), "a finding version was emitted twice: " + versions);
        Set<String> expected = GUARDDUTY.all().stream().filter(f -> !f.sample()).map(f -> f.id() + "#" + f.count())
            .collect(Collectors.toSet());
        assertTrue(versions.containsAll(expected), "lost: " + expected.stream().filter(v -> !versions.contains(v)).toList());
        assertTrue(versions.containsAll(List.of("f-01#1", "f-01#2", "f-01#3", "f-02#1", "f-02#2")), versions.toString());
        assertTrue(versions.stream().noneMatch(v -> v.startsWith("f-05#")), "the sample finding was forwarded");
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = new String(record.key(), StandardCharsets.UTF_8);
            assertEquals(ACCOUNTS.get(Integer.parseInt(id.substring(2)) % 3), TopicReader.header(record, "account"));
            assertEquals("us-east-1", TopicReader.header(record, "region"));
        }
        ConsumerRecord<byte[], byte[]> last = records.get(records.size() - 1);
        Finding f01 = GUARDDUTY.all().stream().filter(f -> f.id().equals("f-01")).findFirst().orElseThrow();
        assertArrayEquals(FakeGuardDuty.render(f01).getBytes(StandardCharsets.UTF_8), last.value(), "not the bytes GuardDuty sent");
    }

    @Test
    void shouldForwardSamplesOnlyWhenConfigured() throws Exception {
        GUARDDUTY.detector("us-east-1", "d-s");
        GUARDDUTY.put(new Finding("d-s", "s-1", ACCOUNTS.get(0), GuardDutyConnectors.T0, 1, true));
        GUARDDUTY.put(new Finding("d-s", "r-1", ACCOUNTS.get(0), GuardDutyConnectors.T0 + 1, 1, false));
        CONNECT.cluster().kafka().createTopic("gd.samples", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1", "gd.samples");
        config.put("include.samples", "true");
        CONNECT.cluster().configureConnector("gd-samples", config);

        List<String> keys;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.samples", false)) {
            keys = TopicReader.keys(reader.readUntil(r -> r.size() >= 2, WAIT));
        }
        CONNECT.cluster().deleteConnector("gd-samples");

        assertEquals(List.of("s-1", "r-1"), keys);
    }

    @Test
    void shouldReadEveryAccountOfADelegatedAdministratorInEveryRegion() throws Exception {
        GUARDDUTY.detector("us-east-1", "d-east");
        GUARDDUTY.detector("eu-west-1", "d-west");
        for (int i = 0; i < 6; i++) {
            GUARDDUTY.put(new Finding("d-east", "e-" + i, ACCOUNTS.get(i % 3), GuardDutyConnectors.T0 + i, 1, false));
            GUARDDUTY.put(new Finding("d-west", "w-" + i, ACCOUNTS.get(i % 3), GuardDutyConnectors.T0 + i, 1, false));
        }
        CONNECT.cluster().kafka().createTopic("gd.admin", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1,eu-west-1", "gd.admin");
        config.put("tasks.max", "2");
        CONNECT.cluster().configureConnector("gd-admin", config);

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.admin", false)) {
            records = reader.readUntil(r -> r.size() >= 12, WAIT);
        }
        CONNECT.cluster().deleteConnector("gd-admin");

        assertEquals(12, records.size());
        Map<String, Set<String>> accountsByRegion = records.stream().collect(Collectors.groupingBy(
            r -> TopicReader.header(r, "region"), Collectors.mapping(r -> TopicReader.header(r, "account"), Collectors.toSet())));
        assertEquals(Map.of("us-east-1", Set.copyOf(ACCOUNTS), "eu-west-1", Set.copyOf(ACCOUNTS)), accountsByRegion);
        assertTrue(records.stream().allMatch(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(
            "us-east-1".equals(TopicReader.header(r, "region")) ? "e-" : "w-")), "a region's findings came from the other's detector");
        assertTrue(AWS.requests().stream().anyMatch(r -> "GET".equals(r.method()) && "/detector".equals(r.path())), "no ListDetectors");
    }

    @Test
    void shouldResumeFromTheCursorAfterAWorkerRestartWithoutLoss() throws Exception {
        Set<String> ids = seedSlowDetector(GUARDDUTY, "d-r", 30);
        CONNECT.cluster().kafka().createTopic("gd.restart", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1", "gd.restart");
        config.put("page.size", "2");
        config.put("detector.ids", "us-east-1:d-r");
        // Its own key id: the requests signed with it are this connector's.
        config.put("aws.access.key.id", "AKIARESTARTTEST00001");
        CONNECT.cluster().configureConnector("gd-restart", config);
        CONNECT.awaitRunning("gd-restart", 1);

        List<ConsumerRecord<byte[], byte[]>> records;
        int seenAtRestart;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.restart", false)) {
            seenAtRestart = reader.readUntil(r -> r.size() >= 6, WAIT).size();
            CONNECT.cluster().removeWorker();
            CONNECT.cluster().addWorker();
            records = reader.readUntil(r -> TopicReader.keySet(r).containsAll(ids), WAIT);
        }
        CONNECT.cluster().deleteConnector("gd-restart");

        assertTrue(seenAtRestart < ids.size(), "the restart came after the whole ingest");
        assertEquals(ids, TopicReader.keySet(records));
        assertTrue(AWS.requests().stream().anyMatch(r -> String.valueOf(r.header("Authorization")).contains("AKIARESTARTTEST00001")));
    }

    @Test
    void shouldValidateAlteredOffsetsAndRewindToThem() throws Exception {
        GUARDDUTY.detector("us-east-1", "d-a");
        for (int i = 0; i < 5; i++) {
            GUARDDUTY.put(new Finding("d-a", "a-" + i, ACCOUNTS.get(0), GuardDutyConnectors.T0 + i * 1000L, 1, false));
        }
        CONNECT.cluster().kafka().createTopic("gd.rewind", 1);
        CONNECT.cluster().configureConnector("gd-rewind", GuardDutyConnectors.config(AWS, "us-east-1", "gd.rewind"));
        List<String> keys;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.rewind", false)) {
            reader.readUntil(r -> r.size() >= 5, WAIT);
            awaitOffset("gd-rewind", Long.toString(GuardDutyConnectors.T0 + 4000));
            CONNECT.cluster().stopConnector("gd-rewind");
            awaitStopped("gd-rewind");
            Map<String, ?> partition = CONNECT.cluster().connectorOffsets("gd-rewind").offsets().get(0).partition();
            RuntimeException bad = assertThrows(RuntimeException.class, () ->
                CONNECT.cluster().alterSourceConnectorOffset("gd-rewind", partition, Map.of("updatedAt", -5, "ids", "")));
            assertTrue(bad.getMessage().contains("updatedAt"), bad.getMessage());
            RuntimeException foreign = assertThrows(RuntimeException.class, () -> CONNECT.cluster().alterSourceConnectorOffset(
                "gd-rewind", Map.of("region", "ap-south-1", "detector", "d-a"), Map.of("updatedAt", 0)));
            assertTrue(foreign.getMessage().contains("regions"), foreign.getMessage());
            CONNECT.cluster().alterSourceConnectorOffset("gd-rewind", partition,
                Map.of("updatedAt", GuardDutyConnectors.T0 + 3000, "ids", "a-3#1"));
            CONNECT.cluster().resumeConnector("gd-rewind");
            keys = TopicReader.keys(reader.readUntil(r -> r.size() >= 6, WAIT));
            keys = TopicReader.keys(reader.readFor(Duration.ofSeconds(3)));
        }
        CONNECT.cluster().deleteConnector("gd-rewind");

        assertEquals(List.of("a-0", "a-1", "a-2", "a-3", "a-4", "a-4"), keys);
    }

    @Test
    void shouldFailTheTaskNamingThePermissionWhenAccessIsDenied() throws Exception {
        GUARDDUTY.detector("us-east-1", "d-x");
        GUARDDUTY.deny("ListFindings");

        CONNECT.cluster().configureConnector("gd-denied", GuardDutyConnectors.config(AWS, "us-east-1", "gd.denied"));
        String trace = GuardDutyConnectors.awaitTaskFailure(CONNECT, "gd-denied");
        CONNECT.cluster().deleteConnector("gd-denied");

        assertTrue(trace.contains("guardduty:ListFindings on arn:aws:guardduty:us-east-1:<account>:detector/d-x denied "
            + "(AccessDeniedException)"), trace);
        assertTrue(trace.contains("GuardDuty said: User: arn:aws:iam::111122223333:user/trailhound is not authorized"), trace);
    }

    /** Issue 17 item 4: GuardDuty throttling (429 TooManyRequestsException) is retried off the poll thread; nothing lost or repeated. */
    @Test
    void shouldRideOutThrottlingWithoutLosingOrRepeatingAFinding() throws Exception {
        GUARDDUTY.detector("us-east-1", "d-t");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            GUARDDUTY.put(new Finding("d-t", "t-" + i, ACCOUNTS.get(i % 3), GuardDutyConnectors.T0 + i * 1000L, 1, false));
            ids.add("t-" + i);
        }
        GUARDDUTY.throttle("ListFindings", 10);
        CONNECT.cluster().kafka().createTopic("gd.throttled", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1", "gd.throttled");
        config.put("page.size", "2");
        config.put("retry.backoff.base.ms", "50");
        config.put("retry.backoff.max.ms", "500");
        CONNECT.cluster().configureConnector("gd-throttled", config);

        List<ConsumerRecord<byte[], byte[]>> records;
        try (TopicReader reader = new TopicReader(CONNECT.bootstrapServers(), "gd.throttled", false)) {
            reader.readUntil(r -> TopicReader.keySet(r).containsAll(ids), WAIT);
            records = reader.readFor(Duration.ofSeconds(2));
            CONNECT.awaitRunning("gd-throttled", 1);
        } finally {
            CONNECT.cluster().deleteConnector("gd-throttled");
        }

        assertEquals(0, GUARDDUTY.throttlesLeft(), "every throttling answer was sent");
        assertEquals(ids, TopicReader.keySet(records));
        assertEquals(ids.size(), records.size(), "each finding once: " + TopicReader.keys(records));
    }

    @Test
    void shouldForwardGuardDutyFindingEventsFromSqsAndDeleteThemAfterKafkaAcknowledged() throws Exception {
        String finding = FakeGuardDuty.render(new Finding("d-q", "q-1", ACCOUNTS.get(1), GuardDutyConnectors.T0, 3, false));
        AwsOperation receive = AwsOperation.json("AmazonSQS.ReceiveMessage");
        AWS.stubSequence(receive, receive.success(JSON.writeValueAsString(Map.of("Messages", List.of(
            SqsStubs.message("m-1", "rh-1", envelope("GuardDuty Finding", finding)),
            SqsStubs.message("m-2", "rh-2", envelope("AWS API Call via CloudTrail", "{\"eventID\":\"e\"}")))))), receive.success("{}"));
        AWS.stubJson("AmazonSQS.DeleteMessageBatch", "{\"Successful\":[],\"Failed\":[]}");
        // The worker's validate() asks for the queue before the connector starts.
        AWS.stubJson("AmazonSQS.GetQueueAttributes", "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:111122223333:q\"}}");
        CONNECT.cluster().kafka().createTopic("gd.queue", 1);
        CONNECT.cluster().kafka().createTopic("gd.queue.dead", 1);
        Map<String, String> config = GuardDutyConnectors.config(AWS, "us-east-1", "gd.queue");
        config.put("queue.url", AWS.endpoint() + "/111122223333/guardduty-findings");
        // Its own key id: a request signed with it is this connector's, not one of a connector of an earlier test still stopping.
        config.put("aws.access.key.id", "AKIAQUEUEMODETEST001");
        CONNECT.cluster().configureConnector("gd-queue", config);

        List<ConsumerRecord<byte[], byte[]>> raw;
        List<ConsumerRecord<byte[], byte[]>> dead;
        try (TopicReader rawReader = new TopicReader(CONNECT.bootstrapServers(), "gd.queue", false);
             TopicReader deadReader = new TopicReader(CONNECT.bootstrapServers(), "gd.queue.dead", false)) {
            raw = rawReader.readUntil(r -> !r.isEmpty(), WAIT);
            dead = deadReader.readUntil(r -> !r.isEmpty(), WAIT);
        }
        String deletes = SqsStubs.awaitDeletes(AWS, "rh-1", "rh-2");
        CONNECT.cluster().deleteConnector("gd-queue");

        assertEquals(1, raw.size());
        assertArrayEquals(finding.getBytes(StandardCharsets.UTF_8), raw.get(0).value());
        assertEquals("q-1", new String(raw.get(0).key(), StandardCharsets.UTF_8));
        assertEquals(ACCOUNTS.get(1), TopicReader.header(raw.get(0), "account"));
        assertEquals(1, dead.size());
        assertTrue(TopicReader.header(dead.get(0), "reason").contains("AWS API Call via CloudTrail"));
        assertTrue(deletes.contains("rh-1") && deletes.contains("rh-2"), deletes);
        assertFalse(AWS.requests().stream().anyMatch(r -> r.path().startsWith("/detector")
            && String.valueOf(r.header("Authorization")).contains("AKIAQUEUEMODETEST001")), "the API was called in queue mode");
        assertTrue(AWS.requests().stream().anyMatch(r -> String.valueOf(r.header("Authorization")).contains("AKIAQUEUEMODETEST001")),
            "the connector's own calls are told apart by its key id");
    }

    private static String envelope(String detailType, String detail) {
        return "{\"version\":\"0\",\"id\":\"0b2f3c1a-1111-2222-3333-444455556666\",\"detail-type\":\"" + detailType + "\","
            + "\"source\":\"aws.guardduty\",\"account\":\"" + ACCOUNTS.get(1) + "\",\"time\":\"2024-05-01T00:00:00Z\","
            + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detail + "}";
    }

    /** {@code count} findings answered with a delay, so an ingest takes a few seconds; returns their ids. */
    static Set<String> seedSlowDetector(FakeGuardDuty fake, String detector, int count) {
        fake.detector("us-east-1", detector);
        fake.delay(100);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            fake.put(new Finding(detector, "%s-%02d".formatted(detector, i), ACCOUNTS.get(i % 3), GuardDutyConnectors.T0 + i * 10L, 1,
                false));
            ids.add("%s-%02d".formatted(detector, i));
        }
        return ids;
    }

    private void awaitFinalVersions(TopicReader reader) {
        reader.readUntil(r -> GuardDutyConnectors.versions(r).containsAll(GUARDDUTY.all().stream().filter(f -> !f.sample())
            .map(f -> f.id() + "#" + f.count()).toList()), WAIT);
    }

    private static void awaitOffset(String connector, String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !CONNECT.cluster().connectorOffsets(connector).offsets().toString().contains(text)) {
            Thread.sleep(200);
        }
    }

    private static void awaitStopped(String connector) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var status = CONNECT.cluster().connectorStatus(connector);
            if ("STOPPED".equals(status.connector().state()) && status.tasks().isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(connector + " did not stop");
    }
}
