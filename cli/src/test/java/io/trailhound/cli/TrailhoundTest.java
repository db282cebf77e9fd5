package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrailhoundTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Trailhound.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldListSubcommandsInHelp() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        assertTrue(help.contains("Usage: trailhound"), help);
        assertTrue(help.contains("topics"), help);
        assertTrue(help.contains("generate-completion"), help);
    }

    @Test
    void shouldPrintTheBuildVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("trailhound 0."), out.toString());
    }

    @Test
    void shouldRejectUnknownSubcommandsWithAClearMessage() {
        assertNotEquals(0, run("frobnicate"));
        assertTrue(err.toString().contains("Unmatched argument") || err.toString().contains("Unknown"), err.toString());
    }

    @Test
    void shouldGenerateABashCompletionScript() {
        assertEquals(0, run("generate-completion"));
        assertTrue(out.toString().contains("complete -F"), "a bash completion script");
    }
}
