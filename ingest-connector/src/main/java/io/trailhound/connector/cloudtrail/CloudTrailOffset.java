package io.trailhound.connector.cloudtrail;

import java.util.HashMap;
import java.util.Map;

/**
 * Position in one partition: the object key, the index of the last record emitted from it, and whether that was the
 * file's last record. A file read to its end is resumed after; a file read partway is reopened and continued.
 */
public record CloudTrailOffset(String key, long index, boolean eof) {

    static final String KEY = "key";
    static final String INDEX = "index";
    static final String EOF = "eof";

    /** The offset map stored by Connect. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>(4);
        map.put(KEY, key);
        map.put(INDEX, index);
        map.put(EOF, eof);
        return map;
    }

    /** Reads a stored offset, tolerating missing keys; null when there is no usable position. */
    public static CloudTrailOffset fromMap(Map<String, ?> map) {
        if (map == null || !(map.get(KEY) instanceof String key) || key.isEmpty()) {
            return null;
        }
        long index = map.get(INDEX) instanceof Number n ? n.longValue() : -1L;
        boolean eof = !(map.get(EOF) instanceof Boolean b) || b;
        return new CloudTrailOffset(key, index, eof);
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
        for (String name : map.keySet()) {
            if (!KEY.equals(name) && !INDEX.equals(name) && !EOF.equals(name)) {
                throw new IllegalArgumentException("unknown offset field '" + name + "' (expected key, index, eof)");
            }
        }
    }
}
