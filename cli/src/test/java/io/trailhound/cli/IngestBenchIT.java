package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IngestBenchIT {

    @Test
    void shouldPrintTheTaskRateNextToTheGunzipJacksonBaseline() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("bench", "ingest", "--files", "4", "--records-per-file", "50", "--rounds", "1"), cli.err());
        String table = cli.out();
        assertTrue(table.contains("ingest (200 CloudTrail records"), table);
        String row = "(?s).*log-file source task poll\\(\\)\\s+[\\d.]+\\s+gunzip \\+ Jackson split"
            + "\\s+[\\d.]+\\s+records/s\\s+\\d+\\.\\d\\d.*";
        assertTrue(table.matches(row), table);
    }
}
