package io.trailhound.detect.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void shouldReturnEmptyForMissingOrUnknownShapes() {
        assertTrue(EventTimes.parse(null).isEmpty());
        assertTrue(EventTimes.parse(" ").isEmpty());
        assertTrue(EventTimes.parse("Sep 27, 2022 5:09:18 PM").isEmpty());
    }
}
