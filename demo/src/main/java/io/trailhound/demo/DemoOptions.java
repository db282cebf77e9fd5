package io.trailhound.demo;

import java.io.PrintStream;
import java.time.Duration;

import io.trailhound.demo.sample.SampleData;

/**
 * How the demo runs.
 *
 * @param out      where progress, alerts and the summary go
 * @param timeout  how long each phase (start, history, intrusion) may take before the demo gives up
 * @param quiet    how long nothing new must arrive before the intrusion counts as processed
 * @param follow   keep the pipeline running after the summary, printing new alerts, until interrupted
 * @param seed     the sample's seed
 */
public record DemoOptions(PrintStream out, Duration timeout, Duration quiet, boolean follow, long seed) {

    /** The command's defaults. */
    public static DemoOptions defaults(PrintStream out) {
        return new DemoOptions(out, Duration.ofSeconds(150), Duration.ofSeconds(3), false, SampleData.DEFAULT_SEED);
    }
}
