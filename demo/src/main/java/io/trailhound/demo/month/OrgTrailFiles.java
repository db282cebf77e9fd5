package io.trailhound.demo.month;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes records as an organization trail delivers them:
 * {@code AWSLogs/<org>/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz},
 * one gzipped {@code {"Records":[...]}} file per account, region and five minutes, stamped with the end of its window
 * (the last window of a day with 23:55).
 * Takes one day at a time.
 */
public final class OrgTrailFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DAY_PATH = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final long WINDOW_SECONDS = 300;

    private final Path root;
    private int files;

    public OrgTrailFiles(Path root) {
        this.root = root;
    }

    /** Files written so far. */
    public int files() {
        return files;
    }

    /** Writes one day's records. */
    public void write(List<MonthEvent> day) {
        Map<String, List<MonthEvent>> windows = new TreeMap<>();
        for (MonthEvent e : day) {
            long window = e.time().getEpochSecond() / WINDOW_SECONDS;
            windows.computeIfAbsent(e.account() + "|" + e.region() + "|" + window, k -> new ArrayList<>()).add(e);
        }
        try {
            for (List<MonthEvent> window : windows.values()) {
                writeFile(window);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trail files below " + root, e);
        }
    }

    private void writeFile(List<MonthEvent> events) throws IOException {
        MonthEvent first = events.get(0);
        long end = (first.time().getEpochSecond() / WINDOW_SECONDS + 1) * WINDOW_SECONDS;
        // the day's last window keeps the day's folder and date, as the bundled sample's files do
        Instant stamp = Instant.ofEpochSecond(Math.min(end, first.time().getEpochSecond() / 86_400 * 86_400 + 86_400 - WINDOW_SECONDS));
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode records = body.putArray("Records");
        events.forEach(e -> records.add(e.json()));
        byte[] json = MAPPER.writeValueAsBytes(body);
        String name = first.account() + "_CloudTrail_" + first.region() + "_" + STAMP.format(stamp) + "_" + unique(json) + ".json.gz";
        Path dir = root.resolve("AWSLogs").resolve(Org.ORG_ID).resolve(first.account()).resolve("CloudTrail")
            .resolve(first.region()).resolve(DAY_PATH.format(first.time()));
        Files.createDirectories(dir);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
            out.write(json);
        }
        files++;
    }

    /** CloudTrail's unique part is 16 characters; ours is derived from the content so reruns write the same names. */
    private static String unique(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
