package io.trailhound.connector.guardduty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** Which fetched findings may move the cursor, the versioned cursor, and offset validation of the GuardDuty source. */
class GuardDutyPagingTest {

    private static final FindingCursor START = new FindingCursor(0, Set.of());

    @Test
    void shouldHoldBackAFindingUpdatedBetweenItsListingAndItsFetch() {
        // Listed a, b, c in updatedAt order; a came back updated (later than b): it waits for a later listing.
        List<RawFinding> page = settled(List.of("a", "b", "c"), false, START, f("a", 50, 2), f("b", 20, 1), f("c", 30, 1));

        assertEquals(List.of("b", "c"), page.stream().map(RawFinding::id).toList());
    }

    @Test
    void shouldHoldBackTheLastFindingOfAFullPageUnlessNothingElseIsNew() {
        assertEquals(List.of("a", "b"), settled(List.of("a", "b", "c"), true, START, f("a", 10, 1), f("b", 20, 1), f("c", 90, 2))
            .stream().map(RawFinding::id).toList());

        FindingCursor seen = new FindingCursor(10, Set.of("a#1", "b#1"));
        assertEquals(List.of("a", "b", "c"), settled(List.of("a", "b", "c"), true, seen, f("a", 10, 1), f("b", 10, 1), f("c", 10, 1))
            .stream().map(RawFinding::id).toList());
    }

    @Test
    void shouldTellVersionsOfOneFindingInTheSameMillisecondApart() {
        FindingCursor cursor = START.advance("a#1", 100);

        assertFalse(cursor.accepts("a#1", 100));
        assertTrue(cursor.accepts("a#2", 100));
        assertFalse(new FindingCursor(100, Set.of("a")).accepts("a#2", 100), "a bare id (older offsets) covers every version");
        assertEquals(Map.of("updatedAt", 100L, "ids", "a#1,a#2"), cursor.advance("a#2", 100).toMap());
    }

    @Test
    void shouldValidateAlteredOffsets() {
        GuardDutySourceConnector connector = new GuardDutySourceConnector();
        Map<String, String> config = Map.of("regions", "us-east-1,eu-west-1");
        Map<String, Object> partition = new HashMap<>(Map.of("region", "eu-west-1", "detector", "12abc34d"));

        assertTrue(connector.alterOffsets(config, Map.of(partition, Map.of("updatedAt", 5L, "ids", "f-1#2,f-2#1"))));
        assertTrue(connector.alterOffsets(config, Map.of(partition, Map.of("updatedAt", 0))));
        Map<Map<String, ?>, Map<String, ?>> reset = new HashMap<>();
        reset.put(partition, null);
        assertTrue(connector.alterOffsets(config, reset));
        assertInvalid(connector, config, partition, Map.of("updatedAt", -1), "updatedAt");
        assertInvalid(connector, config, partition, Map.of("updatedAt", "yesterday"), "updatedAt");
        assertInvalid(connector, config, partition, Map.of("updatedAt", 1, "ids", "a, b"), "ids");
        assertInvalid(connector, config, partition, Map.of("updatedAt", 1, "key", "x"), "unknown offset field 'key'");
        assertInvalid(connector, config, Map.of("region", "ap-south-1", "detector", "12abc34d"), Map.of("updatedAt", 1), "regions");
        assertInvalid(connector, config, Map.of("region", "us-east-1"), Map.of("updatedAt", 1), "exactly 'region' and 'detector'");
    }

    private static void assertInvalid(GuardDutySourceConnector connector, Map<String, String> config, Map<String, ?> partition,
                                      Map<String, ?> offset, String expected) {
        ConnectException e = assertThrows(ConnectException.class, () -> connector.alterOffsets(config, Map.of(partition, offset)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static List<RawFinding> settled(List<String> listed, boolean full, FindingCursor cursor, RawFinding... fetched) {
        return FindingReader.settled(listed, List.of(fetched), full, cursor);
    }

    private static RawFinding f(String id, long updatedAt, long count) {
        return new RawFinding(id, updatedAt, false, "111122223333", count, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
