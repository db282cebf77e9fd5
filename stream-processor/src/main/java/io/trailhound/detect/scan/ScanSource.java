package io.trailhound.detect.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Scan input as parts (files, a stream such as standard input, or records held in memory) whose records are read when the scan
 * reaches them, one part after the other ({@link #forEach}): a file is streamed a line at a time (JSON Lines), or read whole
 * when it is one document (a CloudTrail log file, a JSON array) within the size bound, so the input is never in memory at once.
 */
public final class ScanSource {

    /** Parts kept read at once by {@link #records(int)}. */
    static final int CACHED_PARTS = 64;

    private final List<Path> files = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private final Map<Integer, List<byte[]>> pinned = new LinkedHashMap<>();
    private final Map<Integer, InputStream> streams = new LinkedHashMap<>();
    private final Map<Integer, String> refused = new TreeMap<>();
    private final Map<Integer, List<byte[]>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, List<byte[]>> eldest) {
            return size() > CACHED_PARTS;
        }
    };

    /** Records held in memory (no origin). */
    public static ScanSource of(List<byte[]> records) {
        ScanSource s = new ScanSource();
        s.addRecords(records, null);
        return s;
    }

    /** Adds a file, read when its records are needed; {@code origin} is its path as the input named it. */
    void addFile(Path file, String origin) {
        files.add(file);
        origins.add(origin);
    }

    /** Adds records held in memory. */
    void addRecords(List<byte[]> records, String origin) {
        pinned.put(files.size(), records);
        files.add(null);
        origins.add(origin);
    }

    /** Adds a stream (standard input), read once, when the scan reaches it. */
    void addStream(InputStream in, String origin) {
        streams.put(files.size(), in);
        files.add(null);
        origins.add(origin);
    }

    /** How many parts the input has. */
    public int parts() {
        return files.size();
    }

    /** Where part {@code part} came from (a file's path, which for a trail holds {@code AWSLogs/...}), or null. */
    public String origin(int part) {
        return origins.get(part);
    }

    /** Why each refused file was not read (e.g. it inflates beyond the size bound), in input order. */
    public List<String> refused() {
        return List.copyOf(refused.values());
    }

    /**
     * Hands every raw record of part {@code part} to {@code out}, in order, reading it as it goes; a file refused (beyond the
     * size bound) is reported in {@link #refused()} and ends its part (the records before the refusal were handed over).
     */
    public void forEach(int part, Consumer<byte[]> out) {
        List<byte[]> kept = pinned.get(part);
        if (kept != null) {
            kept.forEach(out);
            return;
        }
        try {
            InputStream stream = streams.remove(part);
            if (stream != null) {
                ScanInput.stream(stream, ScanInput.maxFileBytes(), out);
            } else {
                ScanInput.stream(files.get(part), ScanInput.maxFileBytes(), out);
            }
        } catch (ScanInput.RefusedFileException e) {
            refused.putIfAbsent(part, e.getMessage());
        } catch (LineReader.LineTooLongException e) {
            refused.putIfAbsent(part, "standard input: more than " + ScanInput.maxFileBytes()
                    + " bytes in one record or document (trailhound.scan.max.file.bytes); refused");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + (files.get(part) == null ? "standard input" : files.get(part)) + ": "
                    + e.getMessage(), e);
        }
    }

    /** The raw records of part {@code part}, in their order (none for a refused file), read whole. */
    public List<byte[]> records(int part) {
        List<byte[]> kept = pinned.get(part);
        if (kept != null) {
            return kept;
        }
        if (streams.containsKey(part)) {
            List<byte[]> all = new ArrayList<>();
            forEach(part, all::add);
            pinned.put(part, all);
            return all;
        }
        return cache.computeIfAbsent(part, p -> {
            try {
                return ScanInput.records(ScanInput.content(files.get(p)));
            } catch (ScanInput.RefusedFileException e) {
                // reported once, its records (none) counted as nothing read: the scan goes on with the other files
                refused.putIfAbsent(p, e.getMessage());
                return List.of();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + files.get(p) + ": " + e.getMessage(), e);
            }
        });
    }
}
