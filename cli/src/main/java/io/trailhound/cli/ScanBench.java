package io.trailhound.cli;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound bench scan} (#16 item 5): {@code trailhound scan} over a JSON Lines file of CloudTrail records, run as
 * its own process exactly as an operator runs it (so JVM start, class loading and JIT warm-up are in its figure), next to a
 * plain Jackson parse of the same file ({@code readTree} per line, in this JVM, best of two passes) in the same run: records
 * per second of each and their ratio, the scan's wall time, peak resident memory and exit code.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"trailhound scan (its own JVM, start included) next to a plain Jackson parse of the same file (readTree per",
        "line): records/s of each and the ratio. The file is generated (CloudTrail records of the detect bench's principals,",
        "1% suspicious, in event-time order) unless --input names one."})
final class ScanBench implements Callable<Integer> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * The JIT and collector options the launcher gives {@code scan} (C1 only: less CPU than C2's compiling on this machine at
     * 200,000 and at 1,000,000 records; the parallel collector: less CPU than G1's barriers); a {@code --jvm-option} comes after
     * them, so {@code -XX:TieredStopAtLevel=4} restores the full JIT and {@code -XX:+UseG1GC} the default collector.
     */
    static final List<String> LAUNCHER_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
    /** Records of the first, unmeasured scan that writes the class-data archive the measured one maps. */
    private static final int ARCHIVE_RECORDS = 1000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--records", defaultValue = "200000", description = "Records of the generated file (default: ${DEFAULT-VALUE}).")
    private int records;

    @Option(names = "--input", paramLabel = "FILE", description = "Scan this JSON Lines file instead of generating one.")
    private Path input;

    @Option(names = "--principals", defaultValue = "2000", description = "Principals of the generated records (default: ${DEFAULT-VALUE}).")
    private int principals;

    @Option(names = "--heap", defaultValue = "512m",
        description = "The scan's -Xmx (default: ${DEFAULT-VALUE}, the launcher's; a smaller heap is also faster here: fewer pages "
            + "touched, less to copy).")
    private String heap;

    @Option(names = "--keep", description = "Keep the generated file and the scan's output (their paths are printed).")
    private boolean keep;

    @Option(names = "--threads", paramLabel = "N",
        description = "The scan's --threads (default: the scan's own default, the available processors).")
    private Integer threads;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
        description = "More options for the scan's JVM, after the launcher's -XX:TieredStopAtLevel=1 -XX:+UseParallelGC: e.g. "
            + "-XX:TieredStopAtLevel=4 (the full JIT) (repeatable).")
    private List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--cds", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Map a class-data archive (AppCDS) written by a first scan of the file's first 1,000 records, as the "
            + "launcher's scans after its first do (default: ${DEFAULT-VALUE}).")
    private boolean cds;


    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (records < 1 && input == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--records must be at least 1");
        }
        Path dir = Files.createTempDirectory("trailhound-bench-scan-");
        Path file = input != null ? input : generate(dir.resolve("records.jsonl"), records, principals);
        long lines = countLines(file);
        out.printf(Locale.ROOT, "%d records, %.1f MB: %s%n", lines, Files.size(file) / 1e6, file);
        out.flush();
        double parseSeconds = Math.min(parse(file), parse(file));
        Scan scan = scan(file, dir);
        BenchTable table = new BenchTable("scan");
        table.add(new BenchTable.Row("scan records/s (JVM start incl.)", lines / scan.seconds(), "Jackson readTree per line",
            lines / parseSeconds, "records/s", true));
        table.print(out);
        out.printf(Locale.ROOT,
            "scan: %.2f s wall (its own JVM, -Xmx%s %s%s%s%s), peak resident memory %.0f MB, exit code %d, %d alert lines%n",
            scan.seconds(), heap, String.join(" ", LAUNCHER_OPTIONS), jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions),
            scan.archived() ? ", AppCDS archive of a first scan" : cds ? ", no AppCDS archive: the JVM could not write one" : "",
            threads == null ? "" : ", --threads " + threads, scan.peakRss() / 1048576.0,
            scan.exitCode(), scan.alerts());
        out.printf(Locale.ROOT, "parse: %.2f s (this JVM, best of two passes)%n", parseSeconds);
        out.printf("scan's stderr: %s%n", scan.stderr().strip().replace("\n", "\n  "));
        if (keep) {
            out.printf("kept: %s%n", dir);
        } else {
            for (Path p : List.of(dir.resolve("scan.out"), dir.resolve("scan.err"), dir.resolve("records.jsonl"),
                dir.resolve("archive.jsonl"), dir.resolve("scan.jsa"))) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
        out.flush();
        return scan.exitCode() == 0 ? 0 : 1;
    }

    /** {@code count} CloudTrail records in event-time order, a second apart, 1% of them suspicious. */
    static Path generate(Path file, int count, int principalCount) throws IOException {
        DetectBenchTrail trail = new DetectBenchTrail(principalCount, 16);
        Instant start = Instant.parse("2025-03-01T00:00:00Z");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                Instant time = start.plusSeconds(i);
                DetectBenchTrail.Event e = i % 100 == 99 ? trail.suspicious(time) : trail.ordinary(time);
                out.write(e.json());
                out.write('\n');
            }
        }
        return file;
    }

    private static long countLines(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return r.lines().filter(l -> !l.isBlank()).count();
        }
    }

    /** Seconds to read {@code file} and parse every line into a tree. */
    static double parse(Path file) throws IOException {
        long started = System.nanoTime();
        long nodes = 0;
        try (InputStream in = Files.newInputStream(file);
             BufferedReader r = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    JsonNode node = MAPPER.readTree(line.getBytes(StandardCharsets.UTF_8));
                    nodes += node.size();
                }
            }
        }
        if (nodes < 0) {
            throw new IllegalStateException("unreachable");
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** What the scan's process did, and whether it mapped a class-data archive. */
    record Scan(double seconds, long peakRss, int exitCode, long alerts, String stderr, boolean archived) {
    }

    private Scan scan(Path file, Path dir) throws IOException, InterruptedException {
        Path stdout = dir.resolve("scan.out");
        Path stderr = dir.resolve("scan.err");
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(LAUNCHER_OPTIONS);
        options.addAll(jvmOptions);
        Path archive = dir.resolve("scan.jsa");
        boolean archived = cds && writeArchive(file, dir.resolve("archive.jsonl"), archive, options, stdout, stderr);
        if (archived) {
            options.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        BenchJvm.Run run = BenchJvm.run(options, scanCommand(file), stdout, stderr, 20);
        long alerts;
        try (BufferedReader r = Files.newBufferedReader(stdout, StandardCharsets.UTF_8)) {
            alerts = r.lines().count();
        }
        return new Scan(run.seconds(), run.peakRss(), run.exitCode(), alerts, Files.readString(stderr, StandardCharsets.UTF_8),
            archived);
    }

    private List<String> scanCommand(Path file) {
        List<String> command = new ArrayList<>(List.of(Trailhound.class.getName(), "scan"));
        if (threads != null) {
            command.addAll(List.of("--threads", threads.toString()));
        }
        command.add(file.toString());
        return command;
    }

    /**
     * The launcher's first scan after a build: a scan of the file's first {@link #ARCHIVE_RECORDS} records that writes the
     * classes it loaded to {@code archive} when it exits, not measured. False when the JVM wrote none (a class path with
     * directories, as in the build's tests, cannot be archived: the JVM then exits with 1): the scan is measured without.
     */
    private boolean writeArchive(Path file, Path head, Path archive, List<String> options, Path stdout, Path stderr)
        throws IOException, InterruptedException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(head, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = r.readLine(); line != null && n < ARCHIVE_RECORDS; line = r.readLine(), n++) {
                w.write(line);
                w.write('\n');
            }
        }
        List<String> first = new ArrayList<>(options);
        first.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        // a JVM that cannot write the archive exits with 1 after the scan itself ran: the measured scan reports the scan's own
        // failures, this one only whether there is an archive
        BenchJvm.run(first, scanCommand(head), stdout, stderr, 100);
        return Files.isRegularFile(archive) && Files.size(archive) > 0;
    }
}
