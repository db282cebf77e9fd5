package io.trailhound.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of this jar run as its own JVM for a benchmark ({@code java OPTIONS -cp <this class path> MAIN ARGS}), its output
 * to files, its wall time and peak resident memory (VmHWM, sampled while it runs) measured from outside: what
 * {@code bench scan}, {@code bench faults}' decompression bomb and {@code bench access} measure a child process with.
 */
final class BenchJvm {

    /** What the process did: seconds from start to exit, peak resident set in bytes, exit code. */
    record Run(double seconds, long peakRss, int exitCode) {
    }

    private BenchJvm() {
    }

    /** Runs {@code mainAndArgs} with {@code jvmOptions}, stdout and stderr to the files given, sampling VmHWM every {@code pollMillis}. */
    static Run run(List<String> jvmOptions, List<String> mainAndArgs, Path stdout, Path stderr, long pollMillis)
        throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        long started = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        long peak = 0;
        while (!p.waitFor(pollMillis, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, peakRss(p.pid()));
        }
        return new Run((System.nanoTime() - started) / 1e9, peak, p.exitValue());
    }

    /** VmHWM (peak resident set) of {@code pid} in bytes, 0 once it is gone. */
    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
