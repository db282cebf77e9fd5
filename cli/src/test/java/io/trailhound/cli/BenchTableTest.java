package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class BenchTableTest {

    @Test
    void shouldPrintTheRatioOfOursToTheBaseline() {
        BenchTable table = new BenchTable("probe").add(new BenchTable.Row("events", 50, "identity", 200, "records/s", true));
        assertEquals(0.25, table.rows().get(0).ratio(), 1e-9);
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out));
        assertTrue(out.toString().contains("0.25"), out.toString());
    }

    @Test
    void shouldSayWhenLowerIsBetter() {
        StringWriter out = new StringWriter();
        new BenchTable("probe").add(new BenchTable.Row("p99 latency", 120, "identity", 60, "ms", false)).print(new PrintWriter(out));
        assertTrue(out.toString().contains("2.00 (lower is better)"), out.toString());
    }
}
