package io.trailhound.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A Trailhound component as its own JVM, as it runs in production ({@code java -cp ... MainClass component.properties}), so
 * that {@code trailhound bench faults} can kill it the way a node failure or the OOM killer does: {@link #kill()} is
 * {@link Process#destroyForcibly()}, a SIGKILL, with no shutdown hook, no close and no final commit.
 */
final class FaultBenchProcess implements AutoCloseable {

    private final String name;
    private final String mainClass;
    private final Path properties;
    private final Path log;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private Process process;
    private int starts;

    FaultBenchProcess(String name, String mainClass, Map<String, String> settings, List<String> jvmOptions,
                      Map<String, String> environment) throws IOException {
        this.name = name;
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.environment = Map.copyOf(environment);
        this.properties = Files.createTempFile("trailhound-faults-" + name + "-", ".properties");
        this.log = Files.createTempFile("trailhound-faults-" + name + "-", ".log");
        Properties props = new Properties();
        props.putAll(settings);
        try (Writer out = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
            props.store(out, "trailhound bench faults: " + name);
        }
    }

    /** Starts (or starts again) the component; its output is appended to {@link #log()}. */
    FaultBenchProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // as the CLI: third-party logs at WARN, into this component's log file
        command.add("-Dlogback.configurationFile=trailhound-logback.xml");
        command.add("-Dtrailhound.log.file=" + log);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add(properties.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        starts++;
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "faults-reaper-" + name + "-" + starts));
        return this;
    }

    /** SIGKILL: the JVM ends at once, mid-transaction and mid-request, and this waits until it is gone. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Fails with the tail of the log if the component exited by itself. */
    void checkAlive() throws IOException {
        if (process != null && !process.isAlive()) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; log " + log + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
    }

    /** The running JVM's process id. */
    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The component's resident set size in bytes, or -1. */
    long residentBytes() {
        if (process == null || !process.isAlive()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** A clean stop (SIGTERM: shutdown hooks run), then SIGKILL if it does not end within 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
