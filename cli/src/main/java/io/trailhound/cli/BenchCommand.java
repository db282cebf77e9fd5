package io.trailhound.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trailhound bench AREA}: measures one part of the pipeline next to a baseline run on the same machine in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure throughput and latency next to a baseline measured in the same run, and print the ratio.",
        "Numbers from this command (not from timed tests) go into the module READMEs."},
    subcommands = {SerdeBench.class, IngestBench.class, DetectBench.class, RespondBench.class, NoiseBench.class,
        FaultBench.class, ScanBench.class, AccessBench.class})
final class BenchCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
