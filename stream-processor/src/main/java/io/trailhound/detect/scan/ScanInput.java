package io.trailhound.detect.scan;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads scan input into raw records: CloudTrail log files ({@code {"Records":[...]}}, plain or gzipped), JSON Lines or JSON
 * arrays of records or findings, directories of those (recursively, in name order) and standard input ({@code -}).
 */
public final class ScanInput {

    // trailing tokens must fail: a JSON Lines file is not one object followed by noise
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ScanInput() {
    }

    /** Every raw record of {@code paths} ({@code -} is {@code stdin}), in input order. */
    public static List<byte[]> read(List<String> paths, InputStream stdin) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String p : paths) {
            if ("-".equals(p)) {
                out.addAll(records(stdin.readAllBytes()));
            } else {
                for (Path file : files(Path.of(p))) {
                    out.addAll(records(content(file)));
                }
            }
        }
        return out;
    }

    /**
     * The input of {@code paths} ({@code -} is {@code stdin}, streamed) as a {@link ScanSource} whose files are read when the
     * scan needs them, each part named by the path it came from. A directory's files come in the order of the time CloudTrail
     * puts in their names ({@code <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz}), then by path, so an
     * organization trail's accounts and regions interleave in time as the scan's event-time window needs them; files without
     * that time come first, by path.
     */
    public static ScanSource source(List<String> paths, InputStream stdin) throws IOException {
        ScanSource source = new ScanSource();
        for (String p : paths) {
            if ("-".equals(p)) {
                source.addStream(stdin, null);
            } else {
                for (Path file : files(Path.of(p))) {
                    source.addFile(file, file.toString());
                }
            }
        }
        return source;
    }

    private static final Pattern TRAIL_STAMP = Pattern.compile("_(\\d{8}T\\d{4}Z)_");

    /** The delivery time in a CloudTrail log file's name, or "" (such files sort first). */
    static String trailStamp(Path file) {
        Matcher m = TRAIL_STAMP.matcher(file.getFileName().toString());
        return m.find() ? m.group(1) : "";
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(ScanInput::trailStamp).thenComparing(Comparator.naturalOrder())).toList();
        }
    }

    /**
     * Largest file content (decompressed) read into memory, as the connector's {@code max.file.bytes}: a larger file, such as a
     * gzip that inflates a thousandfold (a decompression bomb), is refused with the reason instead of filling the heap.
     * System property {@code trailhound.scan.max.file.bytes} overrides it.
     */
    static long maxFileBytes() {
        return Long.getLong("trailhound.scan.max.file.bytes", 256L * 1024 * 1024);
    }

    static byte[] content(Path file) throws IOException {
        return content(file, maxFileBytes());
    }

    static byte[] content(Path file, long maxBytes) throws IOException {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        if (!gzip && Files.size(file) > maxBytes) {
            throw new RefusedFileException(file + ": " + Files.size(file) + " bytes, more than the " + maxBytes
                + " a file may have (trailhound.scan.max.file.bytes); refused");
        }
        try (InputStream in = Files.newInputStream(file);
             InputStream body = gzip ? new GZIPInputStream(in, 64 * 1024) : in) {
            byte[] read = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
            if (read.length > maxBytes) {
                throw new RefusedFileException(file + ": decompresses to more than " + maxBytes + " bytes (" + Files.size(file)
                    + " compressed; a decompression bomb?), more than a file may have (trailhound.scan.max.file.bytes); refused");
            }
            return read;
        }
    }

    /**
     * Streams the records of {@code file} to {@code out}, as {@link #records(byte[])} splits a whole file, holding one line at a
     * time: a file whose first line is a JSON object is JSON Lines (a line with a {@code Records} array is a CloudTrail log
     * file on one line, split); any other file (a pretty-printed log file, a JSON array) is read whole, within the bound. A
     * line, or a file read whole, beyond the bound is refused as {@link #content} refuses a file (records before it were
     * scanned).
     */
    static void stream(Path file, long maxBytes, Consumer<byte[]> out) throws IOException {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        try (InputStream in = Files.newInputStream(file);
             InputStream body = gzip ? new GZIPInputStream(in, 64 * 1024) : in) {
            stream(body, maxBytes, out);
        } catch (LineReader.LineTooLongException e) {
            throw gzip ? new RefusedFileException(file + ": decompresses to more than " + maxBytes + " bytes (" + Files.size(file)
                    + " compressed; a decompression bomb?), more than a file may have (trailhound.scan.max.file.bytes); refused")
                    : new RefusedFileException(file + ": more than " + maxBytes + " bytes in one record or document, more than a "
                    + "file may have (trailhound.scan.max.file.bytes); refused");
        }
    }

    /** Streams the records of {@code body} (see {@link #stream(Path, long, Consumer)}). */
    static void stream(InputStream body, long maxBytes, Consumer<byte[]> out) throws IOException {
        LineReader lines = new LineReader(body, maxBytes);
        byte[] first = lines.next();
        while (first != null && blank(first)) {
            first = lines.next();
        }
        if (first == null) {
            return;
        }
        JsonNode head = tryParse(first);
        if (head == null || !head.isObject()) {
            records(lines.rest(first)).forEach(out);
            return;
        }
        List<byte[]> split = new ArrayList<>();
        split(head, first, split);
        split.forEach(out);
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            if (blank(line)) {
                continue;
            }
            if (!contains(line, RECORDS)) {
                // no Records field: the line as it is (an object, or unparseable: a dead letter), as records() keeps it
                out.accept(line);
                continue;
            }
            JsonNode node = tryParse(line);
            if (node != null && node.isObject()) {
                split.clear();
                split(node, line, split);
                split.forEach(out);
            } else {
                out.accept(line);
            }
        }
    }

    private static final byte[] RECORDS = "Records\"".getBytes(StandardCharsets.UTF_8);

    private static boolean blank(byte[] line) {
        for (byte b : line) {
            if (b < 0 || !Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] line, byte[] word) {
        for (int i = 0; i <= line.length - word.length; i++) {
            if (line[i] == word[0] && Arrays.equals(line, i, i + word.length, word, 0, word.length)) {
                return true;
            }
        }
        return false;
    }

    /** A file the scan does not read, with the reason. */
    public static final class RefusedFileException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedFileException(String reason) {
            super(reason);
        }
    }

    /** One record per line, or the Records[] of a CloudTrail log file; unparseable lines stay as they are (dead-letter). */
    static List<byte[]> records(byte[] content) throws IOException {
        List<byte[]> out = new ArrayList<>();
        JsonNode whole = tryParse(content);
        if (whole != null && whole.isObject()) {
            split(whole, content, out);
            return out;
        }
        if (whole != null && whole.isArray()) {
            // a JSON array of records or findings (what `aws guardduty get-findings --query Findings` writes)
            for (JsonNode element : whole) {
                out.add(MAPPER.writeValueAsBytes(element));
            }
            return out;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                JsonNode node = tryParse(bytes);
                if (node != null && node.isObject()) {
                    split(node, bytes, out);
                } else {
                    out.add(bytes);
                }
            }
        }
        return out;
    }

    private static void split(JsonNode node, byte[] original, List<byte[]> out) throws JsonProcessingException {
        if (node.path("Records").isArray()) {
            for (JsonNode r : node.path("Records")) {
                out.add(MAPPER.writeValueAsBytes(r));
            }
        } else {
            out.add(original);
        }
    }

    private static JsonNode tryParse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
