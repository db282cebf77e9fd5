package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** The command line builds only the subcommand its first argument names, and every one otherwise. */
class TrailhoundCommandLineTest {

    @Test
    void shouldBuildOnlyTheNamedSubcommand() {
        assertEquals(Set.of("scan"), Trailhound.commandLine(Map.of(), "scan").getSubcommands().keySet());
        assertEquals(Set.of("plan"), Trailhound.commandLine(Map.of(), "plan").getSubcommands().keySet());
    }

    @Test
    void shouldBuildEveryOneForHelpOptionsAndUnknownNames() {
        int all = Trailhound.commandLine(Map.of()).getSubcommands().size();
        assertTrue(all > Trailhound.SUBCOMMANDS.size() - 1, "all subcommands: " + all);
        for (String first : new String[] {"help", "--help", "-V", "sacn"}) {
            assertEquals(all, Trailhound.commandLine(Map.of(), first).getSubcommands().size(), first);
        }
        assertEquals(all, Trailhound.commandLine(Map.of(), null).getSubcommands().size());
    }

    @Test
    void shouldSuggestSubcommandsForAMistypedName() {
        CommandLine cli = Trailhound.commandLine(Map.of(), "sacn");
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("sacn"));
        assertTrue(err.toString().contains("Unmatched argument at index 0: 'sacn'") && err.toString().contains("Did you mean"),
            err.toString());
    }
}
