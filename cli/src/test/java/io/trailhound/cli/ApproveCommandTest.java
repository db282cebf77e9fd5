package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ApproveCommandTest {

    @Test
    void shouldOfferTheApprovalCommands() {
        StringWriter out = new StringWriter();
        CommandLine cli = Trailhound.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("--help"));
        for (String command : new String[] {"plan", "approve", "reject", "approvals"}) {
            assertTrue(out.toString().matches("(?s).*\\n\\s+" + command + "\\s.*"), command + " missing from: " + out);
        }
    }

    @Test
    void shouldRequireAnIdToDecideOn() {
        StringWriter err = new StringWriter();
        CommandLine cli = Trailhound.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute("approve"));
        assertTrue(err.toString().contains("ID"), err.toString());
        assertEquals(2, cli.execute("reject", "--reason"));
    }
}
