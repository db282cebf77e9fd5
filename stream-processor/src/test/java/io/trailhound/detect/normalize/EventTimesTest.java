package io.trailhound.detect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The timestamp shapes of CloudTrail, exports and GuardDuty. */
class EventTimesTest {

    @Test
    void shouldParseEveryKnownShape() {
        assertEquals(Instant.parse("2022-09-27T17:09:18Z"), EventTimes.parse("2022-09-27T17:09:18Z").orElseThrow());
        assertEquals(Instant.parse("2022-09-27T17:09:18Z"), EventTimes.parse("2022-09-27 17:09:18").orElseThrow());
        assertEquals(Instant.parse("2025-02-25T20:40:06.721Z"), EventTimes.parse("2025-02-25 20:40:06.721").orElseThrow());
        assertEquals(Instant.parse("2025-02-25T20:40:06Z"), EventTimes.parse("2025-02-25 20:40:06.000000000").orElseThrow());
        assertEquals(Instant.parse("2020-09-14T01:02:34Z"), EventTimes.parse("2020-09-14T01:02:34.000Z").orElseThrow());
        assertEquals(Instant.parse("2020-09-14T00:02:34Z"), EventTimes.parse("2020-09-14T01:02:34+01:00").orElseThrow());
    }

    @Test
    void shouldReadCloudTrailsShapeDirectlyAndLeaveEverythingElseToTheGeneralParsers() {
        assertEquals(Instant.parse("2024-02-29T23:59:59Z"), EventTimes.commonShape("2024-02-29T23:59:59Z"));
        assertEquals(Instant.parse("1999-12-31T00:00:00Z"), EventTimes.commonShape("1999-12-31T00:00:00Z"));
        assertNull(EventTimes.commonShape("2023-02-29T00:00:00Z"), "no 29 February in 2023");
        assertNull(EventTimes.commonShape("2024-13-01T00:00:00Z"));
        assertNull(EventTimes.commonShape("2024-01-01T24:00:00Z"));
        assertNull(EventTimes.commonShape("2024-01-01T00:00:0xZ"));
        assertNull(EventTimes.commonShape("2024-01-01 00:00:00Z"));
        assertNull(EventTimes.commonShape("2024-01-01T00:00:00+"));
        assertEquals(Instant.parse("2024-01-01T00:00:00.5Z"), EventTimes.commonShape("2024-01-01T00:00:00.5Z"));
        assertEquals(Instant.parse("2024-01-01T00:00:00.123456789Z"), EventTimes.commonShape("2024-01-01T00:00:00.123456789Z"));
        assertNull(EventTimes.commonShape("2024-01-01T00:00:00.Z"));
        assertNull(EventTimes.commonShape("2024-01-01T00:00:00.1234567890Z"));
        assertNull(EventTimes.commonShape("2024-01-01T00:00:00,5Z"));
        assertTrue(EventTimes.parse("2023-02-29T00:00:00Z").isEmpty(), "an impossible date is no time at all");
        for (long seconds = 0; seconds < 4_000_000_000L; seconds += 7_777_777) {
            Instant t = Instant.ofEpochSecond(seconds, seconds % 1_000_000_007);
            assertEquals(t, EventTimes.commonShape(t.toString()), t.toString());
        }
    }

    @Test
    void shouldReturnEmptyForMissingOrUnknownShapes() {
        assertTrue(EventTimes.parse(null).isEmpty());
        assertTrue(EventTimes.parse(" ").isEmpty());
        assertTrue(EventTimes.parse("Sep 27, 2022 5:09:18 PM").isEmpty());
    }
}
