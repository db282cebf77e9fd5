package io.trailhound.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.trailhound.demo.month.BenignMonth;
import io.trailhound.demo.month.MonthSettings;
import io.trailhound.demo.month.OrgTrailFiles;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.OfflineScan;
import io.trailhound.detect.scan.ScanInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound bench noise}: generates the benign month of issue 13, runs it through the offline detection
 * {@code trailhound scan} uses, and reports the alerts (per day, severity and rule) and the containment {@code plan} would
 * take over them as LIVE alerts, each key figure next to the target. A measurement: missed targets do not fail it.
 */
@Command(name = "noise", mixinStandardHelpOptions = true,
    description = {"Alerts and containment steps on a deterministic benign month of a five-account organization (issue #13),",
        "next to the issue's targets: MEDIUM+ <= 0.5 a day, no HIGH/CRITICAL, no automatic containment step."})
final class NoiseBench implements Callable<Integer> {

    static final double TARGET_MEDIUM_PER_DAY = 0.5;

    @Spec
    private CommandSpec spec;

    @Option(names = "--days", defaultValue = "30", description = "Days of the month (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--seed", defaultValue = "13", description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--output", paramLabel = "DIR",
        description = "Keep the month's organization trail (AWSLogs/...) here, to rerun with scan and plan "
            + "(default: a temporary directory, deleted afterwards).")
    private Path output;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        MonthSettings settings = MonthSettings.of(days, seed);
        long started = System.nanoTime();
        // scanned from the trail files as `trailhound scan DIR` reads them: in event-time order, file by file, each record
        // with its S3 key (the organization trail's layout names the organization's accounts)
        Path dir = output != null ? output : Files.createTempDirectory("trailhound-noise");
        OrgTrailFiles trail = new OrgTrailFiles(dir);
        new BenignMonth(settings).generate(trail::write);
        long generated = System.nanoTime();
        resetPeakHeap();
        OfflineScan.Result result;
        try {
            result = new OfflineScan(Map.of("trailhound.suppression.window.ms", 3_600_000L,
                "trailhound.baseline.learning.period.ms", Duration.ofDays(7).toMillis()), RuleCatalog.builtIn())
                .run(ScanInput.source(List.of(dir.toString()), InputStream.nullInputStream()));
        } finally {
            if (output == null) {
                deleteTree(dir);
            }
        }
        long scanned = System.nanoTime();
        long peakHeap = peakHeap();
        NoiseFigures figures = new NoiseFigures(result.records(), days, result.alerts());
        NoisePlan plan = NoisePlan.of(result.alerts());
        if (output != null) {
            out.printf("wrote %d trail files below %s%n", trail.files(), output);
        }
        new NoiseReport(figures, plan, settings).print(out);
        out.printf(Locale.ROOT, "%ngenerated in %.1f s, scanned in %.1f s (%d dead-lettered); peak heap during the scan %.0f MB%n",
            (generated - started) / 1e9, (scanned - generated) / 1e9, result.deadLettered(), peakHeap / 1048576.0);
        out.flush();
        return 0;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }

    static void resetPeakHeap() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the heap used at once. */
    static long peakHeap() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
