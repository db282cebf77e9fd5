package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files CloudTrail delivers late, with keys sorting before files already read: the listing source re-lists a window
 * before its newest file and reads each such file exactly once, across a restart and across midnight, with offsets that
 * stay as small as the window.
 */
class LateFilesTest {

    private static final String ACCOUNT = "111111111111";
    private static final String REGION = "us-east-1";
    private static final Instant MAY1 = Instant.parse("2024-05-01T00:00:00Z");
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @Test
    void shouldReadALateFileWithAnEarlierKeyExactlyOnce() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int minute : new int[] {5, 10, 20, 25}) {
            expected.addAll(write(MAY1.plusSeconds(60L * minute), 3));
        }

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of())) {
            records = new ArrayList<>(run.poll(12, WAIT));
            assertEquals(expected, keys(records));
            // Delivered now, named 00:15: its key sorts between the 00:10 and 00:20 files already read.
            List<String> late = write(MAY1.plusSeconds(60L * 15), 3);
            expected.addAll(late);
            records.addAll(run.poll(3, WAIT));
            records.addAll(run.pollUntilQuiet(QUIET));
        }

        assertEquals(expected, keys(records), "every event once, the late file's after the others");
        String lateKey = header(records.get(14), "key");
        assertTrue(lateKey.contains("_20240501T0015Z_"), lateKey);
    }

    @Test
    void shouldNeitherReEmitNorSkipAcrossARestart() throws Exception {
        for (int minute : new int[] {5, 10, 20, 25}) {
            write(MAY1.plusSeconds(60L * minute), 2);
        }
        List<String> firstLate;
        SourceRecord last;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of())) {
            run.poll(8, WAIT);
            firstLate = write(MAY1.plusSeconds(60L * 12), 2);
            List<SourceRecord> more = run.poll(2, WAIT);
            assertEquals(firstLate, keys(more));
            last = more.get(more.size() - 1);
        }
        // What Connect committed last: the late file's final record, with the window's memory.
        String recent = (String) last.sourceOffset().get("recent");
        assertEquals(5, recent.split(",").length, recent);

        List<String> secondLate = write(MAY1.plusSeconds(60L * 17), 2);
        List<SourceRecord> afterRestart;
        try (LocalTaskRun run = new LocalTaskRun(props(), offsets(last))) {
            afterRestart = new ArrayList<>(run.poll(2, WAIT));
            afterRestart.addAll(run.pollUntilQuiet(QUIET));
        }

        assertEquals(secondLate, keys(afterRestart), "only the file delivered while the task was down");
    }

    @Test
    void shouldReadAPreviousDaysLateFileAfterMidnight() throws Exception {
        Instant midnight = Instant.parse("2024-05-02T00:00:00Z");
        List<String> expected = new ArrayList<>();
        for (int minute : new int[] {-15, -10, 5, 10}) {
            expected.addAll(write(midnight.plusSeconds(60L * minute), 2));
        }

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of())) {
            records = new ArrayList<>(run.poll(8, WAIT));
            // May 1st's 23:55 file arrives after May 2nd's first files were read.
            List<String> late = write(midnight.minusSeconds(60L * 5), 2);
            expected.addAll(late);
            records.addAll(run.poll(2, WAIT));
            records.addAll(run.pollUntilQuiet(QUIET));
        }

        assertEquals(expected, keys(records));
        assertTrue(header(records.get(8), "key").contains("/2024/05/01/"), header(records.get(8), "key"));
    }

    @Test
    void shouldKeepTheOffsetAsSmallAsTheWindow() throws Exception {
        // Two days of 5-minute files: 576 files, with a 30-minute window.
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= 576; i++) {
            expected.addAll(write(MAY1.plusSeconds(300L * i), 1));
        }

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of())) {
            records = run.poll(576, Duration.ofSeconds(120));
            records = new ArrayList<>(records);
            records.addAll(run.pollUntilQuiet(QUIET));
        }

        assertEquals(576, records.size());
        assertEquals(expected, new HashSet<>(keys(records)));
        int largest = 0;
        for (SourceRecord record : records) {
            largest = Math.max(largest, ((String) record.sourceOffset().get("recent")).split(",").length);
        }
        assertEquals(7, largest, "files of the last 30 minutes (00, 05, ... 30) and no more");
        Map<String, ?> offset = records.get(records.size() - 1).sourceOffset();
        assertTrue(offset.toString().length() < 600, offset.toString());
        String after = (String) offset.get("after");
        assertTrue(after.endsWith("/2024/05/02/" + ACCOUNT + "_CloudTrail_" + REGION + "_20240502T2330Z"), after);
    }

    @Test
    void shouldNotReachBackFurtherThanTheWindow() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int minute : new int[] {5, 50}) {
            expected.addAll(write(MAY1.plusSeconds(60L * minute), 1));
        }
        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of())) {
            records = new ArrayList<>(run.poll(2, WAIT));
            write(MAY1.plusSeconds(60L * 10), 1);
            records.addAll(run.pollUntilQuiet(QUIET));
        }

        assertEquals(expected, keys(records), "a file 40 minutes older than the newest is outside a 30-minute window");
    }

    @Test
    void shouldResumeFromAnOffsetWithoutWindowAsBefore() throws Exception {
        List<String> first = write(MAY1.plusSeconds(300), 2);
        List<String> second = write(MAY1.plusSeconds(600), 2);
        List<String> third = write(MAY1.plusSeconds(900), 2);
        String secondKey = TrailFixture.key(ACCOUNT, REGION, LocalDate.of(2024, 5, 1), MAY1.plusSeconds(600));
        Map<String, Object> operatorOffset = Map.of("key", secondKey, "index", 0L, "eof", false);

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of(partition(), operatorOffset))) {
            records = run.pollUntilQuiet(QUIET);
        }

        assertFalse(keys(records).contains(first.get(0)));
        assertEquals(List.of(second.get(1), third.get(0), third.get(1)), keys(records));
    }

    @Test
    void shouldReadFilesWhoseNamesCarryNoValidTimeInKeyOrder() throws Exception {
        List<String> expected = new ArrayList<>(write(MAY1.plusSeconds(300), 1));
        String odd = "AWSLogs/" + TrailFixture.ORG + "/" + ACCOUNT + "/CloudTrail/" + REGION + "/2024/05/01/" + ACCOUNT + "_CloudTrail_"
            + REGION + "_20240501T0075Z_odd.json.gz";
        TrailFixture.write(root.resolve(odd), TrailFixture.gzip(TrailFixture.file(List.of(TrailFixture.event("odd-0", ACCOUNT, REGION,
            MAY1, 0)))));
        expected.add("odd-0");
        expected.addAll(write(MAY1.plusSeconds(60L * 80), 1));

        List<SourceRecord> records;
        try (LocalTaskRun run = new LocalTaskRun(props(), Map.of())) {
            records = new ArrayList<>(run.poll(3, WAIT));
            records.addAll(run.pollUntilQuiet(QUIET));
        }

        assertEquals(expected, keys(records), "a name with minute 75 is read once, in key order, without a window entry");
    }

    /** Writes one log file named at {@code time} with {@code count} events; returns their eventIDs in file order. */
    private List<String> write(Instant time, int count) {
        LocalDate day = LocalDate.ofInstant(time, ZoneOffset.UTC);
        String key = TrailFixture.key(ACCOUNT, REGION, day, time);
        List<byte[]> events = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.nameUUIDFromBytes((key + "#" + i).getBytes(StandardCharsets.UTF_8)).toString();
            events.add(TrailFixture.event(id, ACCOUNT, REGION, time.plusSeconds(i), i));
            ids.add(id);
        }
        TrailFixture.write(root.resolve(key), TrailFixture.gzip(TrailFixture.file(events)));
        return ids;
    }

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("location", root.toUri().toString());
        props.put("poll.interval.ms", "100");
        props.put("list.page.size", "5");
        props.put("late.files.window.minutes", "30");
        return props;
    }

    private Map<String, String> partition() {
        return Map.of("location", root.toUri().toString(), "org", TrailFixture.ORG, "account", ACCOUNT, "region", REGION);
    }

    @SuppressWarnings("unchecked")
    private static Map<Map<String, String>, Map<String, Object>> offsets(SourceRecord last) {
        return Map.of((Map<String, String>) last.sourcePartition(), (Map<String, Object>) last.sourceOffset());
    }

    private static List<String> keys(List<SourceRecord> records) {
        return records.stream().map(r -> new String((byte[]) r.key(), StandardCharsets.UTF_8)).toList();
    }

    private static String header(SourceRecord record, String name) {
        return (String) record.headers().lastWithName(name).value();
    }
}
