package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SerdeBenchIT {

    @Test
    void shouldPrintOursBaselineAndRatioForEachDirection() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("bench", "serde", "--records", "2000", "--rounds", "1"), cli.err());
        String table = cli.out();
        String figures = "\\s+[\\d.]+\\s+records/s\\s+\\d+\\.\\d\\d.*";
        assertTrue(table.matches("(?s).*serialize Alert\\s+[\\d.]+\\s+plain Avro SpecificDatumWriter" + figures), table);
        assertTrue(table.matches("(?s).*deserialize Alert\\s+[\\d.]+\\s+plain Avro SpecificDatumReader" + figures), table);
    }
}
