package io.trailhound.connector.guardduty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FindingCursorTest {

    @Test
    void shouldAcceptEachVersionOnceAcrossEqualTimestamps() {
        FindingCursor cursor = new FindingCursor(100, Set.of("a"));

        assertFalse(cursor.accepts("a", 100));
        assertFalse(cursor.accepts("z", 99));
        assertTrue(cursor.accepts("b", 100));
        assertTrue(cursor.accepts("a", 101));
        assertEquals(new FindingCursor(100, Set.of("a", "b")), cursor.advance("b", 100));
        assertEquals(new FindingCursor(101, Set.of("a")), cursor.advance("a", 101));
    }

    @Test
    void shouldRoundTripThroughItsOffsetMapAndTolerateMissingKeys() {
        FindingCursor cursor = new FindingCursor(1714563000000L, Set.of("f-2", "f-1"));

        assertEquals(Map.of("updatedAt", 1714563000000L, "ids", "f-1,f-2"), cursor.toMap());
        assertEquals(cursor, FindingCursor.fromMap(cursor.toMap(), 0));
        assertEquals(new FindingCursor(7, Set.of()), FindingCursor.fromMap(Map.of("ids", "x"), 7));
        assertEquals(new FindingCursor(5, Set.of()), FindingCursor.fromMap(Map.of("updatedAt", 5), 0));
    }

    @Test
    void shouldReadFindingsFromTheRawBodyByteForByte() throws Exception {
        String finding = "{\"id\":\"f-1\", \"updatedAt\":\"2024-05-01T11:30:00.000Z\",\"service\":{\"additionalInfo\":{\"sample\":true}},"
            + "\"severity\":8.0}";
        byte[] body = ("{\"findings\":[ " + finding + " ]}").getBytes(StandardCharsets.UTF_8);

        List<RawFinding> findings = RawFinding.parse(body);

        assertEquals(1, findings.size());
        assertEquals("f-1", findings.get(0).id());
        assertEquals(1714563000000L, findings.get(0).updatedAt());
        assertTrue(findings.get(0).sample());
        assertEquals(finding, new String(findings.get(0).json(), StandardCharsets.UTF_8));
    }
}
