package io.trailhound.connector.cloudtrail;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Position in one partition: the object key, the index of the last record emitted from it, and whether that was the
 * file's last record. A file read to its end is resumed after; a file read partway is reopened and continued. Listing
 * sources also store the late-file window ({@link RecentFiles}): {@code after} (every key up to it is read) and
 * {@code recent} (the files read after it); both are null in offsets without a window. In notification mode
 * {@code partial} names the files of the window a stopped task left partway ({@code id@index}, comma-separated), until
 * they are continued; null when there are none.
 */
public record CloudTrailOffset(String key, long index, boolean eof, String after, String recent, String partial) {

    static final String KEY = "key";
    static final String INDEX = "index";
    static final String EOF = "eof";
    static final String AFTER = "after";
    static final String RECENT = "recent";
    static final String PARTIAL = "partial";
    private static final Set<String> FIELDS = Set.of(KEY, INDEX, EOF, AFTER, RECENT, PARTIAL);

    /** A position without a late-file window (notification mode, dead letters of unreadable files, operators' offsets). */
    public CloudTrailOffset(String key, long index, boolean eof) {
        this(key, index, eof, null, null, null);
    }

    /** A position with a late-file window but no file left partway. */
    public CloudTrailOffset(String key, long index, boolean eof, String after, String recent) {
        this(key, index, eof, after, recent, null);
    }

    /** The offset map stored by Connect. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>(8);
        map.put(KEY, key);
        map.put(INDEX, index);
        map.put(EOF, eof);
        if (recent != null) {
            map.put(AFTER, after);
            map.put(RECENT, recent);
        }
        if (partial != null && !partial.isEmpty()) {
            map.put(PARTIAL, partial);
        }
        return map;
    }

    /** This position with the late-file window {@code files} (null: none). */
    CloudTrailOffset within(RecentFiles files) {
        return files == null ? this : of(key, index, eof, files);
    }

    /** A position with the late-file window {@code files} (null: none), built once: one per record emitted. */
    static CloudTrailOffset of(String key, long index, boolean eof, RecentFiles files) {
        return files == null ? new CloudTrailOffset(key, index, eof)
            : new CloudTrailOffset(key, index, eof, files.after(), files.recent(), files.partial());
    }

    /** Reads a stored offset, tolerating missing keys; null when there is no usable position. */
    public static CloudTrailOffset fromMap(Map<String, ?> map) {
        if (map == null || !(map.get(KEY) instanceof String key) || key.isEmpty()) {
            return null;
        }
        long index = map.get(INDEX) instanceof Number n ? n.longValue() : -1L;
        boolean eof = !(map.get(EOF) instanceof Boolean b) || b;
        String after = map.get(AFTER) instanceof String a ? a : null;
        String recent = map.get(RECENT) instanceof String r ? r : null;
        String partial = map.get(PARTIAL) instanceof String p ? p : null;
        return new CloudTrailOffset(key, index, eof, after, recent, partial);
    }

    /**
     * Checks an operator-supplied offset ({@code alterOffsets}), throwing with a message on a wrong shape; a null
     * offset (reset) is valid.
     */
    public static void validate(Map<String, ?> map) {
        if (map == null) {
            return;
        }
        if (!(map.get(KEY) instanceof String key) || key.isEmpty()) {
            throw new IllegalArgumentException("offset needs a non-empty string '" + KEY + "' (an object key), got " + map);
        }
        Object index = map.get(INDEX);
        if (index != null && !(index instanceof Number n && n.longValue() >= -1)) {
            throw new IllegalArgumentException("offset '" + INDEX + "' must be an integer >= -1, got " + index);
        }
        Object eof = map.get(EOF);
        if (eof != null && !(eof instanceof Boolean)) {
            throw new IllegalArgumentException("offset '" + EOF + "' must be a boolean, got " + eof);
        }
        for (String name : new String[] {AFTER, RECENT, PARTIAL}) {
            if (map.get(name) != null && !(map.get(name) instanceof String)) {
                throw new IllegalArgumentException("offset '" + name + "' must be a string, got " + map.get(name));
            }
        }
        for (String name : map.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown offset field '" + name + "' (expected one of " + new TreeSet<>(FIELDS) + ")");
            }
        }
    }
}
