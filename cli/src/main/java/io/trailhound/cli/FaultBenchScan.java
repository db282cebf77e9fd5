package io.trailhound.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The decompression bomb against {@code trailhound scan}: a CloudTrail log file of about 1 MB that inflates to 1 GiB, next to
 * an ordinary file with one record that raises an alert, scanned by {@code trailhound scan} in its own JVM with a heap cap
 * well below the inflated size. It holds when the scan refuses the bomb with the reason, still reads the other file (its
 * alert is printed) and exits 1, and the JVM's peak resident memory stays below {@link #MEMORY_BOUND}.
 */
final class FaultBenchScan {

    static final long INFLATED = 1L << 30;
    static final String HEAP_CAP = "-Xmx640m";
    /** Peak resident memory the scan's JVM may reach (heap cap plus the JVM's own). */
    static final long MEMORY_BOUND = 900L << 20;

    /** What the scan did: exit code, stderr, alerts printed, peak RSS, bomb size on disk. */
    record Outcome(int exitCode, String stderr, long alertLines, long peakRss, long bombBytes, long millis) {
        boolean refusedWithReason() {
            return exitCode == 1 && stderr.contains("refused") && stderr.contains("bomb.json.gz")
                && (stderr.contains("decompresses to more") || stderr.contains("larger than max.file.bytes"));
        }
    }

    private FaultBenchScan() {
    }

    /** {@code trailhound scan} over the bomb and an ordinary file. */
    static Outcome scan() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("trailhound-faults-bomb-");
        Path bomb = dir.resolve("bomb.json.gz");
        writeBomb(bomb);
        DetectBenchTrail.Event alerting = new DetectBenchTrail(10, 7).suspicious(Instant.now().minusSeconds(600));
        Files.write(dir.resolve("ordinary.json"), alerting.json());
        return run(dir, bomb, Trailhound.class.getName(), "scan", dir.toString());
    }

    /** The connector's decoder ({@link FaultBenchDecoderBomb}) over the bomb. */
    static Outcome connector() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("trailhound-faults-bomb-");
        Path bomb = dir.resolve("bomb.json.gz");
        writeBomb(bomb);
        return run(dir, bomb, FaultBenchDecoderBomb.class.getName(), bomb.toString());
    }

    private static Outcome run(Path dir, Path bomb, String... mainAndArgs) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(dir, "scan-", ".out");
        Path stderr = Files.createTempFile(dir, "scan-", ".err");
        BenchJvm.Run run = BenchJvm.run(List.of(HEAP_CAP), List.of(mainAndArgs), stdout, stderr, 50);
        long millis = Math.round(run.seconds() * 1000);
        long bombBytes = Files.size(bomb);
        Files.delete(bomb);
        long alerts = Files.readAllLines(stdout, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"ruleId\"")).count();
        return new Outcome(run.exitCode(), Files.readString(stderr, StandardCharsets.UTF_8), alerts, run.peakRss(), bombBytes, millis);
    }

    /** {@code {"Records":[} and then a gibibyte of spaces, gzipped: about 1 MB on disk. */
    private static void writeBomb(Path file) throws IOException {
        byte[] spaces = new byte[1 << 20];
        Arrays.fill(spaces, (byte) ' ');
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
            for (long written = 0; written < INFLATED; written += spaces.length) {
                out.write(spaces);
            }
        }
    }
}
