package io.trailhound.connector.iam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The source offset of one account ({@code {"account": id}}): the snapshot's epoch, whether its end-of-snapshot marker was
 * written ({@code done}) and the keys the topic may hold for the account (suffixes after {@code <account>|}, gzip'd and
 * Base64'd). While a snapshot is being written every record carries {@code done=false} and the keys of the previous
 * snapshot together with the new one's, so a restart re-runs the snapshot with the same epoch and still tombstones every
 * key the topic may hold; the marker carries {@code done=true} and exactly the new snapshot's keys.
 */
record SnapshotOffset(long epoch, boolean done, Set<String> keys) {

    static final String EPOCH = "epoch";
    static final String DONE = "done";
    static final String KEYS = "keys";

    /** Copies the keys so the offset stays immutable. */
    SnapshotOffset {
        keys = Set.copyOf(keys);
    }

    /** The offset map stored by Connect. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>();
        map.put(EPOCH, epoch);
        map.put(DONE, done);
        map.put(KEYS, encode(keys));
        return map;
    }

    /** A stored offset, or null when there is none. */
    static SnapshotOffset fromMap(Map<String, ?> map) {
        if (map == null) {
            return null;
        }
        validate(map);
        Object keys = map.get(KEYS);
        return new SnapshotOffset(((Number) map.get(EPOCH)).longValue(), Boolean.TRUE.equals(map.get(DONE)),
            keys == null ? Set.of() : decode(keys.toString()));
    }

    /** Checks an offset (from storage or {@code alterOffsets}): {@code epoch} ≥ 0, {@code done} boolean, {@code keys} readable. */
    static void validate(Map<String, ?> map) {
        for (String key : map.keySet()) {
            if (!Set.of(EPOCH, DONE, KEYS).contains(key)) {
                throw new IllegalArgumentException("unknown offset field '" + key + "' (expected epoch, done and keys)");
            }
        }
        if (!(map.get(EPOCH) instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
            throw new IllegalArgumentException("'epoch' must be epoch milliseconds >= 0, got " + map.get(EPOCH));
        }
        if (!(map.get(DONE) instanceof Boolean)) {
            throw new IllegalArgumentException("'done' must be true or false, got " + map.get(DONE));
        }
        Object keys = map.get(KEYS);
        if (keys != null) {
            try {
                decode(keys.toString());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'keys' is not a key set this connector wrote: " + e.getMessage(), e);
            }
        }
    }

    static String encode(Set<String> keys) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(String.join("\n", new TreeSet<>(keys)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static Set<String> decode(String encoded) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded)))) {
            String text = new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? Set.of() : Set.of(text.split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
