package io.trailhound.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code trailhound} command: the entry point for the demo, offline scans, replays, approvals and benchmarks.
 * Each subcommand arrives with the issue that builds it; this class only wires them together.
 */
@Command(
    name = "trailhound",
    mixinStandardHelpOptions = true,
    versionProvider = Trailhound.Version.class,
    description = "Event-streaming detection and response for AWS: CloudTrail and GuardDuty in, alerts and containment out.",
    // the subcommands are added by commandLine(): SUBCOMMANDS, then demo and bench when the embedded stack is on the class path
    footer = {"", "Every option can also be set with an environment variable (--bootstrap-server: TRAILHOUND_BOOTSTRAP_SERVER)",
        "or in ~/.config/trailhound/trailhound.properties (or the file TRAILHOUND_CONFIG names), as 'bootstrap-server=...'",
        "or 'tail.bootstrap-server=...'; a flag wins over the environment, which wins over the file.",
        "", "Run 'trailhound help <command>' for a command's options. Docs: README.md"})
public final class Trailhound implements Runnable {

    /** The subcommands, in the order the usage lists them (demo and bench follow when present, see {@link #commandLine}). */
    static final List<Class<?>> SUBCOMMANDS = List.of(
        TopicsCommand.class,
        ScanCommand.class,
        PlanCommand.class,
        RunbooksCommand.class,
        ApproveCommand.class,
        RejectCommand.class,
        ApprovalsCommand.class,
        KeygenCommand.class,
        ReleaseCommand.class,
        TailCommand.class,
        ReplayCommand.class,
        ReportCommand.class,
        AccessCommand.class,
        CommandLine.HelpCommand.class,
        AutoComplete.GenerateCompletion.class);

    @Spec
    private CommandSpec spec;

    /** System property naming the file third-party logs go to (see trailhound-logback.xml). */
    static final String LOG_FILE_PROPERTY = "trailhound.log.file";

    /** Where third-party logs go: {@code TRAILHOUND_LOG_FILE}, else {@code trailhound.log} in the temporary directory. */
    static java.nio.file.Path logFile(Map<String, String> env) {
        String configured = env.get("TRAILHOUND_LOG_FILE");
        return configured != null && !configured.isBlank() ? java.nio.file.Path.of(configured)
            : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "trailhound.log");
    }

    /**
     * A missing or unreadable file, a bad value or an invalid configuration is one line naming what and where, and exit code
     * 2 — never a stack trace (#17); anything else is a bug and keeps its trace.
     */
    private static int oneLine(Exception e, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
        Throwable cause = e instanceof java.io.UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        boolean userError = cause instanceof java.io.IOException || cause instanceof IllegalArgumentException
            || cause instanceof org.apache.kafka.common.config.ConfigException;
        if (!userError) {
            throw e;
        }
        String what = cause instanceof java.nio.file.NoSuchFileException missing ? "no such file or directory: " + missing.getFile()
            : cause instanceof java.nio.file.AccessDeniedException denied ? "cannot read " + denied.getFile() + ": permission denied"
            : String.valueOf(cause.getMessage());
        command.getErr().println("trailhound " + command.getCommandName() + ": " + what);
        command.getErr().flush();
        return 2;
    }

    /** Runs the command line and exits with its status code. */
    public static void main(String[] args) {
        // The test kit on our class path carries a logback-test.xml, which logback would prefer to the CLI's own file.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "trailhound-logback.xml");
        }
        if (System.getProperty(LOG_FILE_PROPERTY) == null) {
            System.setProperty(LOG_FILE_PROPERTY, logFile(System.getenv()).toString());
        }
        System.exit(commandLine(System.getenv(), args.length > 0 ? args[0] : null).execute(args));
    }

    /** The configured command line, for tests and embedding. */
    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line with defaults from {@code env} and the config file it names (see {@link ConfigDefaults}). */
    static CommandLine commandLine(Map<String, String> env) {
        return commandLine(env, null);
    }

    /**
     * The command line for arguments starting with {@code first}: when that names a subcommand other than {@code help}, only
     * that subcommand is built, since building every command's options, bench's and demo's included, takes about 0.7 s of
     * a start on this machine, a tenth of a 200,000-record {@code scan}; anything else (no arguments, an option, help, a
     * mistyped name that deserves suggestions) gets them all.
     */
    static CommandLine commandLine(Map<String, String> env, String first) {
        CommandLine cli = new CommandLine(new Trailhound());
        List<Class<?>> all = new ArrayList<>(SUBCOMMANDS);
        if (embeddedStackPresent()) {
            // named only here: without the stack on the class path these classes are never loaded
            all.add(DemoCommand.class);
            all.add(BenchCommand.class);
        }
        boolean one = first != null && !"help".equals(first) && all.stream().anyMatch(c -> first.equals(nameOf(c)));
        for (Class<?> command : all) {
            if (!one || first.equals(nameOf(command))) {
                cli.addSubcommand(command);
            }
        }
        CommandLine completion = cli.getSubcommands().get("generate-completion");
        if (completion != null) {
            completion.getCommandSpec().usageMessage().hidden(false);
        }
        cli.setDefaultValueProvider(ConfigDefaults.fromEnvironment(env));
        cli.setExecutionExceptionHandler(Trailhound::oneLine);
        return cli;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    /**
     * Whether the embedded stack {@code demo} and {@code bench} start (test kit: broker, registry, Connect, AWS stubs; the demo
     * module) is on the class path. The release archive keeps it in {@code lib-bench/}, which {@code bin/trailhound} adds for
     * those two commands only, so the operator commands run without it (#19 item 4).
     */
    static boolean embeddedStackPresent() {
        ClassLoader loader = Trailhound.class.getClassLoader();
        for (String name : new String[] {"io.trailhound.testkit.RunningKafkaBroker", "io.trailhound.demo.Demo"}) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void run() {
        // no subcommand: show what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads the version Maven wrote into the jar's resources. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties props = new Properties();
            try (InputStream in = Trailhound.class.getResourceAsStream("/trailhound-version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the version resource", e);
            }
            return new String[] {"trailhound " + props.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
