package io.trailhound.connector.guardduty;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Position in one detector's findings: the newest {@code updatedAt} emitted (epoch ms) and the ids already emitted at
 * exactly that instant. Listing {@code updatedAt >= cursor} then skipping those ids loses no update between polls and
 * emits each update of a finding (same id, rising {@code service.count}) once.
 */
public record FindingCursor(long updatedAt, Set<String> idsAtUpdatedAt) {

    static final String UPDATED_AT = "updatedAt";
    static final String IDS = "ids";

    /** Copies the ids so the cursor stays immutable. */
    public FindingCursor {
        idsAtUpdatedAt = Set.copyOf(idsAtUpdatedAt);
    }

    /** Whether a finding version is new to this cursor. */
    public boolean accepts(String id, long findingUpdatedAt) {
        return findingUpdatedAt > updatedAt || findingUpdatedAt == updatedAt && !idsAtUpdatedAt.contains(id);
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
