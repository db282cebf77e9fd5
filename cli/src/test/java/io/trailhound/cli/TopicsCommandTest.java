package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TopicsCommandTest {

    @Test
    void shouldListEveryTopicWithItsTypesAndRetention() {
        StringWriter out = new StringWriter();
        CommandLine cli = Trailhound.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("topics"));
        String table = out.toString();
        assertTrue(table.contains("trailhound.alerts") && table.contains("Alert"), table);
        assertTrue(table.matches("(?s).*trailhound\\.incidents\\s+String\\s+Incident\\s+\\d+\\s+compact.*"), table);
        assertTrue(table.matches("(?s).*trailhound\\.cloudtrail\\.raw\\s+String\\s+ByteArray.*90 days.*"), table);
    }
}
