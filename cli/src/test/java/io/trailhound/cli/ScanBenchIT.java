package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code trailhound bench scan} on a small generated file: the scan runs in its own JVM with the launcher's options after a
 * first scan for the class-data archive, and the table has both figures and their ratio. The figures themselves are the
 * README's, not asserted by a timed test.
 */
class ScanBenchIT {

    @Test
    @Timeout(300)
    void shouldScanInItsOwnJvmAndPrintBothFiguresAndTheRatio() {
        CliRun cli = new CliRun();
        int exit = cli.exec("bench", "scan", "--records", "3000", "--threads", "2");
        String out = cli.out();
        assertEquals(0, exit, out + cli.err());
        Matcher row = Pattern.compile("scan records/s \\(JVM start incl\\.\\)\\s+([\\d.]+)\\s+Jackson readTree per line\\s+([\\d.]+)"
            + "\\s+records/s\\s+([\\d.]+)").matcher(out);
        assertTrue(row.find(), out);
        assertTrue(Double.parseDouble(row.group(1)) > 0 && Double.parseDouble(row.group(2)) > 0, out);
        Matcher scan = Pattern.compile("scan: [\\d.]+ s wall \\(its own JVM, -Xmx512m -XX:TieredStopAtLevel=1 -XX:\\+UseParallelGC, "
            + "(AppCDS archive of a first scan|no AppCDS archive: the JVM could not write one), --threads 2\\), peak resident memory "
            + "\\d+ MB, exit code 0, (\\d+) alert lines").matcher(out);
        assertTrue(scan.find(), out);
        assertTrue(Integer.parseInt(scan.group(2)) > 0, "1% of the generated records are suspicious: " + out);
        assertTrue(out.contains("scanned 3000 records"), "the scan's own summary on its stderr: " + out);
    }
}
