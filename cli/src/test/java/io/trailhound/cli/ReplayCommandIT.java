package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.topic.Topics;

/**
 * {@code trailhound replay} on a real broker: ten days of raw CloudTrail records (one every 10 minutes, delivered 2 minutes
 * later) in six partitions; each query must return exactly the records the filter describes and read only its time range.
 */
class ReplayCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant BASE = Instant.parse("2026-10-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);
    private static final Duration DELIVERY = Duration.ofMinutes(2);
    private static final int RECORDS = 1440;
    private static final Instant FROM = Instant.parse("2026-10-05T10:00:00Z");
    private static final Instant TO = Instant.parse("2026-10-05T14:00:00Z");
    private static final Pattern READ = Pattern.compile("read (\\d+) records from 6 partitions of " + Topics.CLOUDTRAIL_RAW
        + ", matched (\\d+)");
    private static final List<JsonNode> ALL = new ArrayList<>();

    private CliRun cli = new CliRun();

    @BeforeAll
    static void rawTopic() throws Exception {
        KAFKA.createTopic(Topics.CLOUDTRAIL_RAW, 6, Map.of("retention.ms", "-1"));
        String[] names = {"GetObject", "ListBuckets", "CreateUser", "CreateAccessKey", "DescribeInstances"};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                Instant time = BASE.plus(STEP.multipliedBy(i));
                ObjectNode r = MAPPER.createObjectNode();
                r.put("eventVersion", "1.08");
                ObjectNode id = r.putObject("userIdentity");
                switch (i % 3) {
                    case 0 -> id.put("type", "IAMUser").put("arn", "arn:aws:iam::111122223333:user/alice").put("accessKeyId", "AKIAALICE");
                    case 1 -> id.put("type", "IAMUser").put("arn", "arn:aws:iam::111122223333:user/bob").put("accessKeyId", "AKIABOB");
                    default -> {
                        id.put("type", "AssumedRole").put("arn", "arn:aws:sts::444455556666:assumed-role/Deploy/ci-" + i)
                            .put("accessKeyId", "ASIACI" + i);
                        id.putObject("sessionContext").putObject("sessionIssuer").put("arn", "arn:aws:iam::444455556666:role/Deploy");
                    }
                }
                r.put("eventTime", time.toString());
                r.put("eventSource", "iam.amazonaws.com");
                r.put("eventName", names[i % names.length]);
                r.put("awsRegion", "us-east-1");
                r.put("sourceIPAddress", i % 3 == 0 ? "203.0.113." + (i % 50) : i % 3 == 1 ? "198.51.100.7" : "2001:db8::" + (i % 9));
                if (i % 7 == 0) {
                    r.put("errorCode", "AccessDenied");
                }
                r.put("eventID", "ev-" + i);
                ALL.add(r);
                // every 50th record spans lines, as a pretty-printed log file would carry it
                String text = i % 50 == 0 ? r.toPrettyString() : r.toString();
                producer.send(new ProducerRecord<>(Topics.CLOUDTRAIL_RAW, null, time.plus(DELIVERY).toEpochMilli(), "k" + i,
                    text.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private Set<String> query(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--bootstrap-server", KAFKA.bootstrapServers(), "--from", FROM.toString(),
            "--to", TO.toString()));
        args.addAll(List.of(filters));
        cli = new CliRun();
        assertEquals(0, cli.exec(args.toArray(String[]::new)), cli.err());
        Set<String> ids = new HashSet<>();
        for (String line : cli.out().split("\n")) {
            if (!line.isBlank()) {
                ids.add(MAPPER.readTree(line).get("eventID").asText());
            }
        }
        return ids;
    }

    private static Set<String> expected(Predicate<JsonNode> filter) {
        Set<String> ids = new HashSet<>();
        for (JsonNode r : ALL) {
            Instant t = Instant.parse(r.get("eventTime").asText());
            if (!t.isBefore(FROM) && t.isBefore(TO) && filter.test(r)) {
                ids.add(r.get("eventID").asText());
            }
        }
        return ids;
    }

    private long recordsRead() {
        Matcher m = READ.matcher(cli.err());
        assertTrue(m.find(), cli.err());
        return Long.parseLong(m.group(1));
    }

    @Test
    void shouldFindExactlyOneAccessKeysRecordsInTheRangeAndReadOnlyThatRange() throws Exception {
        Set<String> found = query("--access-key-id", "AKIAALICE");
        Set<String> expected = expected(r -> r.path("userIdentity").path("accessKeyId").asText().equals("AKIAALICE"));
        assertEquals(8, expected.size(), "4 hours, one record in 10 minutes, a third of them alice's");
        assertEquals(expected, found);
        int inRange = expected(r -> true).size();
        // the read starts at the range (offsetsForTimes) and stops an hour of delivery delay after it: 24 + 6, never 1440
        assertTrue(recordsRead() <= inRange + 6 + 6, "read " + recordsRead() + " for " + inRange + " in range: " + cli.err());
        assertTrue(recordsRead() >= inRange, cli.err());
        Matcher m = READ.matcher(cli.err());
        assertTrue(m.find() && m.group(2).equals("8"), cli.err());
    }

    @Test
    void shouldPrintRecordsVerbatimAndCompactOnlyThoseSpanningLines() throws Exception {
        query("--access-key-id", "AKIAALICE");
        for (String line : cli.out().split("\n")) {
            JsonNode json = MAPPER.readTree(line);
            JsonNode original = ALL.get(Integer.parseInt(json.get("eventID").asText().substring(3)));
            assertEquals(original, json);
            assertEquals(original.toString(), line, "the stored bytes, unchanged");
        }
    }

    @Test
    void shouldStopAtTheEndOfTheRangeWithoutADeliveryDelay() throws Exception {
        query("--max-delivery-delay", "PT0S");
        assertEquals(expected(r -> true).size(), cli.out().split("\n").length);
        assertTrue(recordsRead() <= expected(r -> true).size() + 1, cli.err());
    }

    @Test
    void shouldFilterByPrincipalSubstringOfTheCallerOrItsSessionIssuer() throws Exception {
        assertEquals(expected(r -> r.path("userIdentity").path("arn").asText().endsWith("user/bob")), query("--principal", "user/bob"));
        Set<String> deploy = query("--principal", ":role/Deploy");
        assertEquals(expected(r -> r.path("userIdentity").path("type").asText().equals("AssumedRole")), deploy);
        assertEquals(8, deploy.size());
    }

    @Test
    void shouldFilterBySourceIpOrCidrBlockInBothFamilies() throws Exception {
        assertEquals(expected(r -> r.path("sourceIPAddress").asText().startsWith("203.0.113.")), query("--source-ip", "203.0.113.0/24"));
        assertEquals(expected(r -> r.path("sourceIPAddress").asText().equals("198.51.100.7")), query("--source-ip", "198.51.100.7"));
        assertEquals(expected(r -> r.path("sourceIPAddress").asText().startsWith("2001:db8::")), query("--source-ip", "2001:db8::/64"));
        assertEquals(Set.of(), query("--source-ip", "192.0.2.0/24"));
    }

    @Test
    void shouldFilterByEventNameGlobsAndErrorCodeTogether() throws Exception {
        Set<String> creates = query("--event-name", "Create*", "--event-name", "ListBuckets");
        assertEquals(expected(r -> r.get("eventName").asText().startsWith("Create") || r.get("eventName").asText().equals("ListBuckets")),
            creates);
        Set<String> denied = query("--error-code", "AccessDenied");
        assertEquals(expected(r -> r.has("errorCode")), denied);
        assertTrue(!denied.isEmpty());
        assertEquals(expected(r -> r.has("errorCode") && r.get("eventName").asText().equals("GetObject")),
            query("--error-code", "*", "--event-name", "GetObject"));
    }

    @Test
    void shouldPrintATable() {
        assertEquals(0, cli.exec("replay", "--bootstrap-server", KAFKA.bootstrapServers(), "--from", FROM.toString(), "--to",
            TO.toString(), "--access-key-id", "AKIABOB", "--format", "table"), cli.err());
        String[] lines = cli.out().split("\n");
        assertTrue(lines[0].startsWith("EVENT TIME"), cli.out());
        assertEquals(1 + expected(r -> r.path("userIdentity").path("accessKeyId").asText().equals("AKIABOB")).size(), lines.length);
        assertTrue(lines[1].contains("198.51.100.7") && lines[1].contains("AKIABOB"), cli.out());
    }

    @Test
    void shouldRejectBadInputClearly() {
        assertEquals(2, cli.exec("replay", "--bootstrap-server", KAFKA.bootstrapServers(), "--from", "yesterday-ish"));
        assertTrue(cli.err().contains("is not a time"), cli.err());
        assertEquals(2, new CliRun().exec("replay", "--bootstrap-server", KAFKA.bootstrapServers(), "--from", FROM.toString(),
            "--source-ip", "not-an-ip"));
    }

    @Test
    void shouldSayWhichAddressIsUnreachableAndHowToStartABroker() {
        String address = "127.0.0.1:" + FreePort.pick();
        assertEquals(2, cli.exec("replay", "--bootstrap-server", address, "--from", "PT1H"));
        assertTrue(cli.err().contains("cannot reach Kafka at " + address + "; start one with ./trailhound demo --follow or set "
            + "--bootstrap-server / TRAILHOUND_BOOTSTRAP_SERVER"), cli.err());
    }
}
