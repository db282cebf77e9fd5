package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ConfigDefaultsTest {

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Option(names = {"-b", "--bootstrap-server"}, defaultValue = "built-in")
        String bootstrap;

        @Override
        public void run() {
            // parsing is what is tested
        }
    }

    @Command(name = "reserved")
    static final class Reserved implements Runnable {
        @Option(names = "--config")
        String config;

        @Override
        public void run() {
            // parsing is what is tested
        }
    }

    @Test
    void shouldNeverTakeTheConfigFileVariableAsAnOptionValue() {
        Reserved reserved = new Reserved();
        new CommandLine(reserved).setDefaultValueProvider(new ConfigDefaults(Map.of(ConfigDefaults.CONFIG_ENV, "/etc/th.properties"),
            new Properties())).parseArgs();
        assertEquals(null, reserved.config);
    }

    private static String resolve(Map<String, String> env, Properties file, String... args) {
        Probe probe = new Probe();
        CommandLine cli = new CommandLine(probe);
        cli.setDefaultValueProvider(new ConfigDefaults(env, file));
        cli.parseArgs(args);
        return probe.bootstrap;
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void shouldFallBackToTheBuiltInDefault() {
        assertEquals("built-in", resolve(Map.of(), props()));
    }

    @Test
    void shouldPreferTheCommandSpecificFileKeyOverTheGlobalOne() {
        assertEquals("global:9092", resolve(Map.of(), props("bootstrap-server", "global:9092")));
        assertEquals("probe:9092", resolve(Map.of(), props("bootstrap-server", "global:9092", "probe.bootstrap-server", "probe:9092")));
    }

    @Test
    void shouldPreferTheEnvironmentOverTheFileAndTheFlagOverBoth() {
        Map<String, String> env = Map.of("TRAILHOUND_BOOTSTRAP_SERVER", "env:9092");
        Properties file = props("probe.bootstrap-server", "file:9092");
        assertEquals("env:9092", resolve(env, file));
        assertEquals("flag:9092", resolve(env, file, "--bootstrap-server", "flag:9092"));
    }

    @Test
    void shouldReadTheFileTheEnvironmentNames(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("th.properties"), "bootstrap-server=from-file:9092\n");
        ConfigDefaults defaults = ConfigDefaults.fromEnvironment(Map.of(ConfigDefaults.CONFIG_ENV, config.toString()));
        Probe probe = new Probe();
        new CommandLine(probe).setDefaultValueProvider(defaults).parseArgs();
        assertEquals("from-file:9092", probe.bootstrap);
    }

    @Test
    void shouldRefuseAConfigFileThatDoesNotExist(@TempDir Path dir) {
        String missing = dir.resolve("nope.properties").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ConfigDefaults.fromEnvironment(Map.of(ConfigDefaults.CONFIG_ENV, missing)));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }
}
