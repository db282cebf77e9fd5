package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicsCommandTest {

    @Test
    void shouldListEveryTopicWithItsTypesAndRetention() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("topics"));
        String table = cli.out();
        assertTrue(table.contains("trailhound.alerts") && table.contains("Alert"), table);
        assertTrue(table.matches("(?s).*trailhound\\.incidents\\s+String\\s+Incident\\s+\\d+\\s+compact.*"), table);
        assertTrue(table.matches("(?s).*trailhound\\.cloudtrail\\.raw\\s+String\\s+ByteArray.*90 days.*"), table);
    }
}
