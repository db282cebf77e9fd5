package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code trailhound release} (#14): offered, documented, and its options checked before Kafka is reached. */
class ReleaseCommandTest {

    @Test
    void shouldOfferAndDocumentRelease() {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("--help"));
        assertTrue(cli.out().matches("(?s).*\\n\\s+release\\s.*"), cli.out());
        assertEquals(0, cli.exec("release", "--help"));
        for (String option : new String[] {"INCIDENT_ID", "--action", "--execute", "--dry-run", "--as", "--approval-timeout",
            "--bootstrap-server"}) {
            assertTrue(cli.out().contains(option), option + " missing from: " + cli.out());
        }
        assertTrue(cli.out().contains("Evidence is never touched"), cli.out());
    }

    @Test
    void shouldRequireAnIncidentAndOneMode() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.exec("release"));
        assertTrue(cli.err().contains("INCIDENT_ID"), cli.err());
        assertEquals(2, cli.exec("release", "inc-1", "--execute", "--dry-run"));
        assertTrue(cli.err().contains("exclude each other"), cli.err());
    }
}
