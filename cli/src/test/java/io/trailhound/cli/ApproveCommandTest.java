package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApproveCommandTest {

    @Test
    void shouldOfferTheApprovalCommands() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("--help"));
        for (String command : new String[] {"plan", "approve", "reject", "approvals"}) {
            assertTrue(cli.out().matches("(?s).*\\n\\s+" + command + "\\s.*"), command + " missing from: " + cli.out());
        }
    }

    @Test
    void shouldRequireAnIdToDecideOn() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.exec("approve"));
        assertTrue(cli.err().contains("ID"), cli.err());
        assertEquals(2, cli.exec("reject", "--reason"));
    }
}
