package io.trailhound.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.Snapshot;
import io.trailhound.access.SnapshotReader;

/**
 * The build {@code trailhound bench access} measures in its own JVM (so that the heap cap is real and the peak resident memory
 * is the build's alone): reads a snapshot directory as {@code trailhound access} does and builds its access graph, then prints
 * one line {@code read=<s> build=<s> nodes=<n> edges=<n> peakHeap=<bytes> cpu=<s>} (cpu: the process's CPU time,
 * every thread, JVM start and garbage collection included).
 */
final class AccessBenchBuild {

    private AccessBenchBuild() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AccessBenchBuild SNAPSHOT_DIR");
            System.exit(2);
        }
        NoiseBench.resetPeakHeap();
        long started = System.nanoTime();
        Snapshot snapshot = SnapshotReader.read(Path.of(args[0]), AccessBenchSnapshot.options());
        long read = System.nanoTime();
        AccessGraph graph = GraphBuilder.build(snapshot);
        long built = System.nanoTime();
        double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
        System.out.printf(Locale.ROOT, "read=%.3f build=%.3f nodes=%d edges=%d peakHeap=%d cpu=%.3f%n", (read - started) / 1e9,
            (built - read) / 1e9, graph.nodes().size(), graph.edges().size(), NoiseBench.peakHeap(), cpu);
    }
}
