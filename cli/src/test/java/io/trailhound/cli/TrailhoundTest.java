package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrailhoundTest {

    private final CliRun cli = new CliRun();

    @Test
    void shouldListSubcommandsInHelp() {
        assertEquals(0, cli.exec("--help"));
        String help = cli.out();
        assertTrue(help.contains("Usage: trailhound"), help);
        assertTrue(help.contains("topics"), help);
        assertTrue(help.contains("generate-completion"), help);
    }

    /** #19 item 4: demo and bench are there when the embedded stack is (here: the test kit is on the class path). */
    @Test
    void shouldOfferDemoAndBenchWhenTheEmbeddedStackIsOnTheClassPath() {
        assertTrue(Trailhound.embeddedStackPresent());
        assertEquals(0, cli.exec("--help"));
        assertTrue(cli.out().contains("\n  demo "), cli.out());
        assertTrue(cli.out().contains("\n  bench "), cli.out());
    }

    @Test
    void shouldPrintTheBuildVersion() {
        assertEquals(0, cli.exec("--version"));
        assertTrue(cli.out().startsWith("trailhound 0."), cli.out());
    }

    @Test
    void shouldRejectUnknownSubcommandsWithAClearMessage() {
        assertNotEquals(0, cli.exec("frobnicate"));
        assertTrue(cli.err().contains("Unmatched argument") || cli.err().contains("Unknown"), cli.err());
    }

    /** #17: a missing file is one line naming it and exit code 2, never a stack trace. */
    @Test
    void shouldAnswerAMissingFileWithOneLineAndExitCodeTwo() {
        assertEquals(2, cli.exec("scan", "/nonexistent/trail"));
        assertEquals("trailhound scan: no such file or directory: /nonexistent/trail", cli.err().strip());
        assertEquals(2, cli.exec("plan", "/nonexistent/alerts.jsonl"));
        assertTrue(cli.err().contains("trailhound plan: no such file or directory: /nonexistent/alerts.jsonl"), cli.err());
        assertTrue(!cli.err().contains("\tat "), "no stack trace: " + cli.err());
    }

    @Test
    void shouldGenerateABashCompletionScript() {
        assertEquals(0, cli.exec("generate-completion"));
        assertTrue(cli.out().contains("complete -F"), "a bash completion script");
    }
}
