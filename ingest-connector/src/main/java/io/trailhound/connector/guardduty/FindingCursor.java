package io.trailhound.connector.guardduty;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Position in one detector's findings: the newest {@code updatedAt} emitted (epoch ms) and the finding versions
 * ({@code id#service.count}, see {@link RawFinding#version()}) already emitted at exactly that instant. Listing
 * {@code updatedAt >= cursor} then skipping those versions loses no update between polls and emits each update of a
 * finding (same id, rising {@code service.count}) once, even when two updates share a millisecond. A bare id (offsets
 * written before versions were kept) stands for every version of that id at that instant.
 */
public record FindingCursor(long updatedAt, Set<String> idsAtUpdatedAt) {

    static final String UPDATED_AT = "updatedAt";
    static final String IDS = "ids";

    /** Copies the ids so the cursor stays immutable. */
    public FindingCursor {
        idsAtUpdatedAt = Set.copyOf(idsAtUpdatedAt);
    }

    /** Whether a finding version ({@code id#count}, or a bare id) is new to this cursor. */
    public boolean accepts(String version, long findingUpdatedAt) {
        if (findingUpdatedAt != updatedAt) {
            return findingUpdatedAt > updatedAt;
        }
        int hash = version.indexOf('#');
        return !idsAtUpdatedAt.contains(version) && (hash < 0 || !idsAtUpdatedAt.contains(version.substring(0, hash)));
    }

    /** The cursor after emitting that finding version. */
    public FindingCursor advance(String id, long findingUpdatedAt) {
        if (findingUpdatedAt > updatedAt) {
            return new FindingCursor(findingUpdatedAt, Set.of(id));
        }
        Set<String> ids = new TreeSet<>(idsAtUpdatedAt);
        ids.add(id);
        return new FindingCursor(updatedAt, ids);
    }

    /** The offset map stored by Connect. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>();
        map.put(UPDATED_AT, updatedAt);
        map.put(IDS, String.join(",", new TreeSet<>(idsAtUpdatedAt)));
        return map;
    }

    /** Checks an offset given to {@code alterOffsets}: {@code updatedAt} epoch ms ≥ 0, optional {@code ids}, nothing else. */
    public static void validate(Map<String, ?> map) {
        for (String key : map.keySet()) {
            if (!UPDATED_AT.equals(key) && !IDS.equals(key)) {
                throw new IllegalArgumentException("unknown offset field '" + key + "' (expected updatedAt and ids)");
            }
        }
        if (!(map.get(UPDATED_AT) instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
            throw new IllegalArgumentException("'updatedAt' must be epoch milliseconds >= 0, got " + map.get(UPDATED_AT));
        }
        Object ids = map.get(IDS);
        if (ids != null && (!(ids instanceof String text) || !text.matches("[^,\\s]+(,[^,\\s]+)*|"))) {
            throw new IllegalArgumentException("'ids' must be a comma-separated list of finding versions, got " + ids);
        }
    }

    /** Reads a stored offset, tolerating missing keys; a missing offset starts at {@code startMillis}. */
    public static FindingCursor fromMap(Map<String, ?> map, long startMillis) {
        if (map == null || !(map.get(UPDATED_AT) instanceof Number n)) {
            return new FindingCursor(startMillis, Set.of());
        }
        Object ids = map.get(IDS);
        Set<String> parsed = ids == null || ids.toString().isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(ids.toString().split(",")));
        return new FindingCursor(n.longValue(), parsed);
    }
}
