package io.trailhound.connector.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.connector.cloudtrail.CloudTrailS3SourceTask;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Measures the log-file source's ingest rate (records/s through {@link CloudTrailS3SourceTask#poll()}) over local
 * {@code .json.gz} trail files, next to a plain gunzip + Jackson split of the same files in the same run. Not a test:
 * run it with {@code main} (the CLI's bench command calls it). Arguments: {@code [dir] [rounds]}; without a directory it
 * writes a synthetic trail of 200 files x 500 records to a temporary directory.
 */
public final class CloudTrailIngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudTrailIngestBenchmark() {
    }

    /** One measured round. */
    public record Round(long records, double oursPerSecond, double baselinePerSecond) {

        /** Ours divided by the baseline. */
        public double ratio() {
            return oursPerSecond / baselinePerSecond;
        }
    }

    /** Runs the benchmark and prints the table. */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("trailhound-bench");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        if (args.length == 0) {
            SyntheticTrail.write(dir, 200, 500);
        }
        List<Round> results = run(dir, rounds);
        System.out.println(table(results));
    }

    /** A warm-up, then {@code rounds} rounds, each running ours and the baseline over every file below {@code dir}. */
    public static List<Round> run(Path dir, int rounds) throws Exception {
        List<Path> files = trailFiles(dir);
        long expected = baseline(files);
        ours(dir, expected);
        List<Round> results = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            baseline(files);
            double baselineSeconds = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            ours(dir, expected);
            double oursSeconds = (System.nanoTime() - start) / 1e9;
            results.add(new Round(expected, expected / oursSeconds, expected / baselineSeconds));
        }
        return results;
    }

    /** The printed table: one line per round, then the median ratio against the 70% target. */
    public static String table(List<Round> results) {
        StringBuilder text = new StringBuilder(String.format("%-6s %10s %14s %14s %7s%n", "round", "records", "ours rec/s",
            "baseline rec/s", "ratio"));
        for (int i = 0; i < results.size(); i++) {
            Round r = results.get(i);
            text.append(String.format("%-6d %10d %14.0f %14.0f %7.2f%n", i + 1, r.records(), r.oursPerSecond(), r.baselinePerSecond(),
                r.ratio()));
        }
        List<Double> ratios = results.stream().map(Round::ratio).sorted().toList();
        double median = ratios.isEmpty() ? Double.NaN : ratios.get(ratios.size() / 2);
        text.append(String.format("median ratio %.2f (target >= 0.70)%n", median));
        return text.toString();
    }

    /** Gunzip + Jackson tree + one re-serialized byte[] per record: the naive way to split a trail file. */
    static long baseline(List<Path> files) throws IOException {
        long records = 0;
        long bytes = 0;
        for (Path file : files) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 64 * 1024)) {
                JsonNode root = JSON.readTree(in.readAllBytes());
                for (JsonNode record : root.get("Records")) {
                    bytes += JSON.writeValueAsBytes(record).length;
                    records++;
                }
            }
        }
        return bytes > 0 ? records : 0;
    }

    /** The connector task over {@code dir}, polled until {@code expected} records came out. */
    static void ours(Path dir, long expected) throws InterruptedException {
        CloudTrailS3SourceTask task = new CloudTrailS3SourceTask();
        Map<String, String> props = new HashMap<>();
        props.put("location", dir.toUri().toString());
        props.put("poll.interval.ms", "60000");
        task.initialize(new FreshContext(props));
        task.start(props);
        try {
            long seen = 0;
            while (seen < expected) {
                List<SourceRecord> batch = task.poll();
                seen += batch == null ? 0 : batch.size();
            }
        } finally {
            task.stop();
        }
    }

    private static List<Path> trailFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".json.gz") && !p.toString().contains("CloudTrail-Digest")).sorted().toList();
        }
    }

    /** A task context with no stored offsets: every run starts from the oldest file. */
    private record FreshContext(Map<String, String> configs) implements SourceTaskContext, OffsetStorageReader {

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return this;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return null;
        }

        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
            return null;
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
            return Map.of();
        }
    }
}
