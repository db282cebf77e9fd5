package io.trailhound.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One configuration rule for every subcommand: a flag wins over an environment variable, which wins over the config file,
 * which wins over the built-in default. For option {@code --bootstrap-server} of command {@code tail}, the environment
 * variable is {@code TRAILHOUND_BOOTSTRAP_SERVER} and the file keys are {@code tail.bootstrap-server}, then {@code bootstrap-server}.
 */
final class ConfigDefaults implements IDefaultValueProvider {

    /** Environment variable naming the config file; default {@code ~/.config/trailhound/trailhound.properties}. */
    static final String CONFIG_ENV = "TRAILHOUND_CONFIG";
    private static final String ENV_PREFIX = "TRAILHOUND_";

    private final Map<String, String> env;
    private final Properties file;

    ConfigDefaults(Map<String, String> env, Properties file) {
        this.env = Map.copyOf(env);
        this.file = file;
    }

    /** Reads the process environment and the config file it points to (a missing default file is fine, a missing named one is not). */
    static ConfigDefaults fromEnvironment(Map<String, String> env) {
        String named = env.get(CONFIG_ENV);
        Path path = named != null && !named.isBlank()
            ? Path.of(named)
            : Path.of(System.getProperty("user.home"), ".config", "trailhound", "trailhound.properties");
        Properties props = new Properties();
        if (Files.isRegularFile(path)) {
            try (Reader in = Files.newBufferedReader(path)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the config file " + path, e);
            }
        } else if (named != null && !named.isBlank()) {
            throw new IllegalArgumentException(CONFIG_ENV + " names " + path + ", which is not a readable file");
        }
        return new ConfigDefaults(env, props);
    }

    /** The environment variable that sets {@code option}. */
    static String envName(OptionSpec option) {
        return ENV_PREFIX + key(option).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        if (CONFIG_ENV.equals(envName(option))) {
            // TRAILHOUND_CONFIG names this provider's own file; it is never an option's value
            return null;
        }
        String fromEnv = env.get(envName(option));
        if (fromEnv != null) {
            return fromEnv;
        }
        CommandSpec command = option.command();
        String specific = command == null ? null : file.getProperty(command.name() + "." + key(option));
        return specific != null ? specific : file.getProperty(key(option));
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }
}
