package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudTrailS3SourceTaskTest {

    private static final String A1 = "111111111111";
    private static final String A2 = "222222222222";
    private static final LocalDate DAY1 = LocalDate.of(2024, 5, 1);
    private static final Duration QUIET = Duration.ofMillis(1500);

    @TempDir
    Path root;

    @Test
    void shouldReadOnlyTheSelectedAccountsRegionsAndDaysInKeyOrder() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of(A1, A2), List.of("us-east-1", "eu-west-1"), DAY1, 2, 2, 3);
        trail.writeTo(root);
        TrailFixture.write(root.resolve("AWSLogs/" + TrailFixture.ORG + "/" + A1 + "/CloudTrail-Digest/us-east-1/2024/05/02/"
            + A1 + "_CloudTrail-Digest_us-east-1_t_us-east-1_20240502T0100Z.json.gz"),
            TrailFixture.gzip("{}".getBytes(StandardCharsets.UTF_8)));
        TrailFixture.write(root.resolve("AWSLogs/" + TrailFixture.ORG + "/" + A1 + "/CloudTrail/us-east-1/2024/05/02/notes.txt"),
            new byte[] {1, 2});

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props("accounts", A1, "regions", "us-east-1", "start.date", "2024-05-02"), Map.of())) {
            records = run.pollUntilQuiet(QUIET);
        }

        List<String> expected = new ArrayList<>();
        trail.eventIdsByKey().forEach((key, ids) -> {
            if (key.contains("/" + A1 + "/CloudTrail/us-east-1/2024/05/02/")) {
                expected.addAll(ids);
            }
        });
        assertEquals(6, expected.size());
        assertEquals(expected, records.stream().map(r -> new String((byte[]) r.key(), StandardCharsets.UTF_8)).toList());
        for (SourceRecord record : records) {
            String id = new String((byte[]) record.key(), StandardCharsets.UTF_8);
            assertArrayEquals(trail.events().get(id), (byte[]) record.value());
            assertEquals("trailhound.cloudtrail.raw", record.topic());
            assertTrue(header(record, "key").startsWith("AWSLogs/" + TrailFixture.ORG + "/" + A1 + "/CloudTrail/us-east-1/2024/05/02/"));
        }
        assertEquals("0", header(records.get(0), "index"));
        assertEquals(Map.of("location", root.toUri().toString(), "org", TrailFixture.ORG, "account", A1, "region", "us-east-1"),
            records.get(0).sourcePartition());
        assertEquals(Boolean.TRUE, records.get(2).sourceOffset().get("eof"));
    }

    @Test
    void shouldResumeInsideAFileFromItsOffset() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of(A1), List.of("us-east-1"), DAY1, 1, 2, 4);
        trail.writeTo(root);
        List<String> keys = new ArrayList<>(trail.eventIdsByKey().keySet());
        Map<String, String> partition = Map.of("location", root.toUri().toString(), "org", TrailFixture.ORG, "account", A1,
            "region", "us-east-1");
        Map<String, Object> offset = new CloudTrailOffset(keys.get(0), 1, false).toMap();

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of(partition, offset))) {
            records = run.pollUntilQuiet(QUIET);
        }

        List<String> expected = new ArrayList<>(trail.eventIdsByKey().get(keys.get(0)).subList(2, 4));
        expected.addAll(trail.eventIdsByKey().get(keys.get(1)));
        assertEquals(expected, records.stream().map(r -> new String((byte[]) r.key(), StandardCharsets.UTF_8)).toList());
    }

    @Test
    void shouldDeadLetterBadInputAndKeepGoing() throws Exception {
        TrailFixture trail = TrailFixture.orgTrail(List.of(A1), List.of("us-east-1"), DAY1, 1, 1, 3);
        trail.writeTo(root);
        String dir = "AWSLogs/" + A2 + "/CloudTrail/us-east-1/2024/05/01/";
        TrailFixture.write(root.resolve(dir + A2 + "_CloudTrail_us-east-1_20240501T0000Z_a.json.gz"),
            new byte[] {0x1f, (byte) 0x8b, 8, 0, 1});
        TrailFixture.write(root.resolve(dir + A2 + "_CloudTrail_us-east-1_20240501T0001Z_b.json.gz"),
            TrailFixture.gzip("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)));
        byte[] big = ("{\"eventID\":\"big\",\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] small = TrailFixture.event("small", A2, "us-east-1", Instant.parse("2024-05-01T00:02:00Z"), 1);
        TrailFixture.write(root.resolve(dir + A2 + "_CloudTrail_us-east-1_20240501T0002Z_c.json.gz"),
            TrailFixture.gzip(TrailFixture.file(List.of(big, small))));

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props("max.record.bytes", "1500"), Map.of())) {
            records = run.pollUntilQuiet(QUIET);
        }

        List<SourceRecord> dead = records.stream().filter(r -> r.topic().equals("trailhound.deadletter")).toList();
        List<SourceRecord> raw = records.stream().filter(r -> r.topic().equals("trailhound.cloudtrail.raw")).toList();
        assertEquals(3, dead.size(), dead.toString());
        assertTrue(header(dead.get(0), "reason").startsWith("corrupt gzip"), header(dead.get(0), "reason"));
        assertTrue(header(dead.get(0), "location").endsWith("_a.json.gz"));
        assertTrue(header(dead.get(1), "reason").contains("no top-level Records array"), header(dead.get(1), "reason"));
        assertTrue(header(dead.get(2), "reason").contains("exceeds max.record.bytes"), header(dead.get(2), "reason"));
        assertNull(dead.get(2).value());
        assertEquals(4, raw.size());
        SourceRecord smallRecord = raw.stream().filter(r -> "small".equals(new String((byte[]) r.key(), StandardCharsets.UTF_8)))
            .findFirst().orElseThrow();
        assertArrayEquals(small, (byte[]) smallRecord.value());
        assertEquals("1", header(smallRecord, "index"));
    }

    @Test
    void shouldFailTheTaskWhenTheTrailCopyIsMissing() throws Exception {
        Map<String, String> props = props();
        props.put("location", root.resolve("nowhere").toUri().toString());
        try (LocalTaskRun run = new LocalTaskRun(props, Map.of())) {
            ConnectException failure = assertThrows(ConnectException.class, () -> run.poll(1, Duration.ofSeconds(10)));
            assertTrue(failure.getMessage().contains("check the 'location' setting"), failure.getMessage());
        }
    }

    @Test
    void shouldKeepPollShortAndStopQuicklyWhileTheQueueIsFull() throws Exception {
        TrailFixture.orgTrail(List.of(A1), List.of("us-east-1"), DAY1, 1, 3, 50).writeTo(root);
        LocalTaskRun run = new LocalTaskRun(props("queue.capacity", "1", "batch.size", "1"), Map.of());
        assertEquals(1, run.poll(1, Duration.ofSeconds(10)).size());
        Thread.sleep(300);

        long started = System.nanoTime();
        run.pollOnce();
        long pollMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        run.close();
        long stopMillis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(pollMillis < 1_000, "poll took " + pollMillis + " ms");
        assertTrue(stopMillis < 5_000, "stop took " + stopMillis + " ms");
    }

    private Map<String, String> props(String... pairs) {
        Map<String, String> props = new HashMap<>();
        props.put("location", root.toUri().toString());
        props.put("poll.interval.ms", "200");
        for (int i = 0; i < pairs.length; i += 2) {
            props.put(pairs[i], pairs[i + 1]);
        }
        return props;
    }

    private static String header(SourceRecord record, String name) {
        return (String) record.headers().lastWithName(name).value();
    }
}
