package io.trailhound.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import io.trailhound.connector.bench.CloudTrailIngestBenchmark;
import io.trailhound.connector.bench.CloudTrailIngestBenchmark.Round;
import io.trailhound.connector.bench.SyntheticTrail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailhound bench ingest}: the CloudTrail log-file source task over local trail files, next to a gunzip + Jackson split. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "CloudTrail log-file source (records/s through the task's poll) next to a gunzip + Jackson split of the same files.")
final class IngestBench implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "A local trail tree (AWSLogs/...); default: a synthetic trail of --files x --records-per-file.")
    private Path dir;

    @Option(names = "--files", defaultValue = "200", description = "Synthetic trail files (default: ${DEFAULT-VALUE}).")
    private int files;

    @Option(names = "--records-per-file", defaultValue = "500",
        description = "Records per synthetic file (default: ${DEFAULT-VALUE}).")
    private int recordsPerFile;

    @Option(names = "--rounds", defaultValue = "3",
        description = "Measured rounds after one warm-up; the median is kept (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Override
    public Integer call() throws Exception {
        Path trail = dir;
        if (trail == null) {
            trail = Files.createTempDirectory("trailhound-bench-ingest");
            SyntheticTrail.write(trail, files, recordsPerFile);
        }
        List<Round> results = CloudTrailIngestBenchmark.run(trail, rounds);
        new BenchTable("ingest (" + results.get(0).records() + " CloudTrail records x " + rounds + " rounds, median)")
            .add(new BenchTable.Row("log-file source task poll()", median(results, Round::oursPerSecond),
                "gunzip + Jackson split", median(results, Round::baselinePerSecond), "records/s", true))
            .print(spec.commandLine().getOut());
        return 0;
    }

    private static double median(List<Round> results, ToDoubleFunction<Round> figure) {
        List<Double> sorted = results.stream().map(figure::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        return sorted.get(sorted.size() / 2);
    }
}
