package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code trailhound bench faults} with the scenarios that fit CI's budget (a small input): the clean run, the junk mix, late
 * and out-of-order records and the scan decompression bomb on the real broker, registry and stream processor JVM. Nothing
 * lost or duplicated, every junk record dead-lettered with a reason, the same alerts out of order, the bomb refused within
 * bounded memory. The junk mix's throughput ratio is the bench's figure (README), not asserted by a timed test.
 */
class FaultBenchIT {

    @Test
    @Timeout(900)
    void shouldHoldTheCheapScenariosAndEndWithTheSummaryLine() {
        CliRun cli = new CliRun();
        int exit = cli.exec("bench", "faults", "--scenarios", "malformed-mix,late-out-of-order,scan-bomb", "--events", "2000");
        String out = cli.out();
        List<String> lines = out.strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        Matcher summary = Pattern.compile("faults: scenarios=(\\d+) held=(\\d+) alerts_lost=(\\d+) alerts_duplicated=(\\d+) "
            + "actions_duplicated=(\\d+)").matcher(last);
        assertTrue(summary.matches(), "the last line is the summary: " + out + cli.err());
        assertEquals("4", summary.group(1), "clean runs first for the mix's throughput baseline: " + out);
        assertEquals("0", summary.group(3), out);
        assertEquals("0", summary.group(4), out);
        assertEquals("0", summary.group(5), out);
        for (String scenario : List.of("clean", "late-out-of-order", "scan-bomb")) {
            assertTrue(row(out, scenario).contains("  yes  "), scenario + " held: " + out + cli.err());
        }
        String mix = row(out, "malformed-mix");
        Matcher dead = Pattern.compile("(\\d+)/(\\d+) junk dead-lettered, 0 without reason").matcher(mix);
        assertTrue(dead.find() && dead.group(1).equals(dead.group(2)) && Integer.parseInt(dead.group(1)) > 0, mix);
        assertTrue(row(out, "scan-bomb").contains("decompresses to more than"), "the reason is printed: " + out);
        assertTrue(exit == 0 || !row(out, "malformed-mix").contains("  yes  "), "exit 0 when every scenario held: " + out);
    }

    private static String row(String out, String scenario) {
        return out.lines().filter(l -> l.startsWith(scenario + " ")).findFirst().orElseThrow(() -> new AssertionError(
            "no row for " + scenario + " in " + out));
    }
}
