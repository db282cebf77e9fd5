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
import java.util.List;
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
     * The input of {@code paths} ({@code -} is {@code stdin}, read at once) as a {@link ScanSource} whose files are read when
     * the scan needs them, each part named by the path it came from.
     */
    public static ScanSource source(List<String> paths, InputStream stdin) throws IOException {
        ScanSource source = new ScanSource();
        for (String p : paths) {
            if ("-".equals(p)) {
                source.addRecords(records(stdin.readAllBytes()), null);
            } else {
                for (Path file : files(Path.of(p))) {
                    source.addFile(file, file.toString());
                }
            }
        }
        return source;
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
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
