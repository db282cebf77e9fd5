package io.trailhound.detect.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scan input as parts (files, or records held in memory such as standard input) whose records are read on demand: the scan
 * indexes every record's event time in a first pass, then reads them in event-time order through a small cache of parts,
 * so a month of trail files is never in memory at once (a trail delivers a five-minute file per account and region, so the
 * files of one moment are few).
 */
public final class ScanSource {

    /** Parts kept read at once. */
    static final int CACHED_PARTS = 64;

    private final List<Path> files = new ArrayList<>();
    private final List<String> origins = new ArrayList<>();
    private final Map<Integer, List<byte[]>> pinned = new LinkedHashMap<>();
    private final Map<Integer, String> refused = new java.util.TreeMap<>();
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

    /** The raw records of part {@code part}, in their order (none for a refused file). */
    public List<byte[]> records(int part) {
        List<byte[]> kept = pinned.get(part);
        if (kept != null) {
            return kept;
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
