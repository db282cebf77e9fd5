package io.trailhound.demo.sample;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Regenerates the sample into a directory: {@code java -cp ... io.trailhound.demo.sample.SampleMain DIR [ANCHOR] [SEED]}
 * writes {@code DIR/AWSLogs/...} (history and intrusion, a local copy of a trail bucket for {@code file://DIR}) and
 * {@code DIR/guardduty/findings.json}. ANCHOR is an ISO instant (default now), SEED a number (default the demo's).
 */
public final class SampleMain {

    private SampleMain() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SampleMain DIR [ANCHOR (ISO instant, default now)] [SEED]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Instant anchor = args.length > 1 ? Instant.parse(args[1]) : Instant.now();
        long seed = args.length > 2 ? Long.parseLong(args[2]) : SampleData.DEFAULT_SEED;
        SampleData sample = SampleData.generate(seed, anchor);
        int files = TrailFiles.write(dir, sample.history(), TrailFiles.DAILY).size();
        files += TrailFiles.write(dir, sample.intrusion(), TrailFiles.FIVE_MINUTES).size();
        TrailFiles.writeFindings(dir.resolve("guardduty").resolve("findings.json"), sample.findings());
        System.out.printf("wrote %d history and %d intrusion records in %d trail files, %d findings, to %s%n",
            sample.history().size(), sample.intrusion().size(), files, sample.findings().size(), dir.toAbsolutePath());
    }
}
