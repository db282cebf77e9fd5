package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.testkit.FreePort;
import picocli.CommandLine;

/** The analyst's commands take their addresses like every command: flag, then environment, then config file. */
class ReportConfigIT {

    private static String run(Map<String, String> env, String... args) {
        CommandLine cli = Trailhound.commandLine(env);
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(2, cli.execute(args), err.toString());
        return err.toString();
    }

    @Test
    void shouldTakeTheBrokerFromFlagThenEnvironmentThenCommandKeyOfTheConfigFile(@TempDir Path dir) throws Exception {
        String fromFile = "127.0.0.1:" + FreePort.pick();
        String fromEnv = "127.0.0.1:" + FreePort.pick();
        String fromFlag = "127.0.0.1:" + FreePort.pick();
        Path file = dir.resolve("trailhound.properties");
        Files.writeString(file, "report.bootstrap-server=" + fromFile + "\ntail.bootstrap-server=" + fromFile + "\n");
        Map<String, String> fileOnly = Map.of(ConfigDefaults.CONFIG_ENV, file.toString());
        assertTrue(run(fileOnly, "report", "inc-1").contains("cannot reach Kafka at " + fromFile + ";"));
        assertTrue(run(fileOnly, "tail", "--timeout", "1s").contains("cannot reach Kafka at " + fromFile + ";"));
        Map<String, String> env = Map.of(ConfigDefaults.CONFIG_ENV, file.toString(), "TRAILHOUND_BOOTSTRAP_SERVER", fromEnv);
        assertTrue(run(env, "report", "inc-1").contains("cannot reach Kafka at " + fromEnv + ";"));
        assertTrue(run(env, "replay", "--from", "PT1H", "--bootstrap-server", fromFlag)
            .contains("cannot reach Kafka at " + fromFlag + ";"));
    }
}
