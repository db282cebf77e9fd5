package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class FaultBenchRowTest {

    @Test
    void shouldCountLostAndDuplicatedAsMultisets() {
        FaultBenchRow.Counts counts = FaultBenchRow.Counts.of(List.of("a#1", "a#2", "b#1", "c#1"), List.of("a#1", "a#1", "b#1", "x#1"));
        assertEquals(4, counts.expected());
        assertEquals(4, counts.seen());
        assertEquals(2, counts.lost(), "a#2 and c#1 never seen");
        assertEquals(2, counts.duplicated(), "a#1 once more than expected, x#1 never expected");
    }

    @Test
    void shouldHoldOnlyWithNothingLostOrDuplicatedAndItsConditionTrue() {
        FaultBenchRow.Counts clean = FaultBenchRow.Counts.of(List.of("a#1"), List.of("a#1"));
        FaultBenchRow.Counts twice = FaultBenchRow.Counts.of(List.of("a#1"), List.of("a#1", "a#1"));
        assertTrue(row("ok", clean, FaultBenchRow.Counts.NONE, true).held());
        assertFalse(row("condition", clean, FaultBenchRow.Counts.NONE, false).held());
        assertFalse(row("alert twice", twice, FaultBenchRow.Counts.NONE, true).held());
        assertFalse(row("action twice", clean, new FaultBenchRow.Counts(3, 4, 0, 1), true).held());
        assertFalse(row("action lost", clean, new FaultBenchRow.Counts(3, 2, 1, 0), true).held());
    }

    @Test
    void shouldEndWithTheSummaryLineExactly() {
        List<FaultBenchRow> rows = List.of(
            row("a", FaultBenchRow.Counts.of(List.of("a#1", "b#1"), List.of("a#1")), new FaultBenchRow.Counts(3, 4, 0, 1), true),
            row("b", FaultBenchRow.Counts.of(List.of("a#1"), List.of("a#1", "a#1")), FaultBenchRow.Counts.NONE, true),
            row("c", FaultBenchRow.Counts.of(List.of("a#1"), List.of("a#1")), FaultBenchRow.Counts.NONE, true));
        assertEquals("faults: scenarios=3 held=1 alerts_lost=1 alerts_duplicated=1 actions_duplicated=1", FaultBenchRow.summary(rows));
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        FaultBenchRow.header(out);
        rows.forEach(r -> r.print(out));
        out.flush();
        assertTrue(text.toString().lines().skip(3).findFirst().orElseThrow().contains(" yes "), text.toString());
        assertTrue(text.toString().lines().skip(1).findFirst().orElseThrow().contains(" NO "), text.toString());
    }

    private static FaultBenchRow row(String name, FaultBenchRow.Counts alerts, FaultBenchRow.Counts actions, boolean condition) {
        return new FaultBenchRow(name, 10, 10, alerts, actions, 0, -1, condition, "test");
    }
}
