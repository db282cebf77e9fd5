package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench noise} (issue 13) runs on a short month and prints consistent figures against the targets. */
class NoiseBenchTest {

    @Test
    void shouldPrintTheNoiseTablesForTwoDays(@TempDir Path dir) throws Exception {
        CliRun run = new CliRun();

        assertEquals(0, run.exec("bench", "noise", "--days", "2", "--output", dir.toString()), run.err());

        String out = run.out();
        long records = number(out, "records");
        long alerts = number(out, "alerts");
        long bySeverity = 0;
        for (String s : new String[] {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}) {
            bySeverity += number(out, "alerts " + s);
            assertTrue(out.contains("per day " + s), "per-day row for " + s);
        }
        assertTrue(records > 4_000, out);
        assertEquals(alerts, bySeverity, "severities add up to the alerts");
        for (String label : new String[] {"automatic containment steps", "steps awaiting approval", "steps skipped",
            "MEDIUM+ alerts per day", "MEDIUM+ alerts per million events", "HIGH+CRITICAL alerts", "peak heap during the scan"}) {
            assertTrue(out.contains(label), "missing " + label + " in\n" + out);
        }
        assertTrue(out.matches("(?s).*MEDIUM\\+ alerts per day .*(PASS|FAIL).*"), out);
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".json.gz")), "trail files written");
        }
    }

    private static long number(String out, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + " +(\\d+)$").matcher(out);
        assertTrue(m.find(), "no row " + label + " in\n" + out);
        return Long.parseLong(m.group(1));
    }
}
