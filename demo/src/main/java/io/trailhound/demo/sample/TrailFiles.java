package io.trailhound.demo.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes records as CloudTrail delivers them to its bucket: gzipped {@code {"Records":[...]}} files under
 * {@code AWSLogs/<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz}.
 */
public final class TrailFiles {

    /** One file per account, region and day (a compact history). */
    public static final Duration DAILY = Duration.ofDays(1);
    /** One file per account, region and five minutes, as CloudTrail delivers. */
    public static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DAY_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private TrailFiles() {
    }

    /** Writes {@code events} below {@code root} in files spanning {@code span}; returns the files written, in key order. */
    public static List<Path> write(Path root, List<SampleEvent> events, Duration span) throws IOException {
        Map<String, List<SampleEvent>> buckets = new TreeMap<>();
        for (SampleEvent e : events) {
            long bucket = e.time().getEpochSecond() / span.toSeconds();
            buckets.computeIfAbsent(e.account() + "|" + e.region() + "|" + bucket, k -> new ArrayList<>()).add(e);
        }
        List<Path> files = new ArrayList<>();
        for (List<SampleEvent> bucket : buckets.values()) {
            files.add(writeFile(root, bucket));
        }
        files.sort(null);
        return files;
    }

    private static Path writeFile(Path root, List<SampleEvent> events) throws IOException {
        SampleEvent first = events.get(0);
        Instant last = events.get(events.size() - 1).time();
        Instant stamp = last.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(5 - last.atZone(ZoneOffset.UTC).getMinute() % 5));
        Instant endOfDay = first.time().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofMinutes(24 * 60 - 5));
        if (stamp.isAfter(endOfDay)) {
            stamp = endOfDay;
        }
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode records = body.putArray("Records");
        events.forEach(e -> records.add(e.json()));
        byte[] json = MAPPER.writeValueAsBytes(body);
        String name = first.account() + "_CloudTrail_" + first.region() + "_" + STAMP.format(stamp) + "_" + shortId(json) + ".json.gz";
        Path dir = root.resolve("AWSLogs").resolve(SampleOrganization.ORG_ID).resolve(first.account()).resolve("CloudTrail")
            .resolve(first.region()).resolve(DAY_PATH.format(first.time()));
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(json);
        }
        return file;
    }

    private static String shortId(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(digest, 0, 8).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The findings as one JSON array, as the demo's GuardDuty endpoint serves them. */
    public static Path writeFindings(Path file, List<ObjectNode> findings) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(findings).getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
