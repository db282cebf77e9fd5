package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.trailhound.avro.Alert;
import io.trailhound.detect.environment.AwsIpRanges;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.scan.AlertJson;
import io.trailhound.detect.scan.AlertSpill;
import io.trailhound.detect.scan.OfflineScan;
import io.trailhound.detect.scan.ScanInput;
import io.trailhound.detect.scan.ScanSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound scan}: runs the stream processor's detection processors offline over CloudTrail and GuardDuty files
 * (streamed, in event-time order within {@code --lateness}) and prints one alert per line on stdout (alerts and signals, each
 * in its final state, in the order first raised; counts on stderr).
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Detect offline: run the live detection processors over CloudTrail log files (.json, .json.gz), "
                + "JSON Lines of CloudTrail records or GuardDuty findings, directories of them, or - for stdin.")
public final class ScanCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { json, text }

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, directories or - (stdin).")
    private List<String> paths;

    @Option(names = "--format", defaultValue = "json", description = "json (one object per line) or text. Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Option(names = "--learning-period", defaultValue = "P7D", converter = DurationConverter.class,
            description = "Event time a principal is observed before values new to it raise baseline alerts (ISO-8601, P0D allowed). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration learningPeriod;

    @Option(names = "--suppression-window-ms", defaultValue = "3600000",
            description = "Event-time window in which repeats of a rule on one principal and entity are one alert.")
    private long suppressionWindowMs;

    @Option(names = "--lateness", defaultValue = "15m", converter = LatenessConverter.class,
            description = "How far out of event-time order the input may be: records are held until the latest event time read "
                    + "is this much past them, then scanned in order. A record later than that is still scanned (out of order) "
                    + "and counted on stderr. 15m, 2h, 1d or ISO-8601 (PT15M). Default: ${DEFAULT-VALUE}.")
    private Duration lateness;

    @Option(names = "--threads", paramLabel = "N",
            description = "Pipelines, each on its own thread, the principals split between them as the live topology's partitions "
                    + "split them; the output is the same for any number. Default: the available processors (${DEFAULT-VALUE}).")
    private int threads = Runtime.getRuntime().availableProcessors();

    /** Reads 15m, 2h, 1d, 30s or ISO-8601 durations. */
    static final class LatenessConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            Duration d;
            try {
                if (v.matches("\\d+[smhd]")) {
                    long n = Long.parseLong(v.substring(0, v.length() - 1));
                    d = switch (v.charAt(v.length() - 1)) {
                        case 's' -> Duration.ofSeconds(n);
                        case 'm' -> Duration.ofMinutes(n);
                        case 'h' -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                } else {
                    d = Duration.parse(v);
                }
            } catch (RuntimeException e) {
                throw new TypeConversionException("not a duration (15m, 2h, 1d or PT15M): " + value);
            }
            if (d.isNegative()) {
                throw new TypeConversionException("the lateness cannot be negative: " + value);
            }
            return d;
        }
    }

    /** Reads ISO-8601 durations such as P7D, PT12H or P0D. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = Duration.parse(value);
            if (d.isNegative()) {
                throw new TypeConversionException("the learning period cannot be negative: " + value);
            }
            return d;
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (threads < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, not " + threads);
        }
        // read on a second core while this one loads the rules and opens the input (a scan's settings name no other file)
        AwsIpRanges.prefetch();
        ScanSource records = ScanInput.source(paths, System.in);
        OfflineScan scan = new OfflineScan(Map.of("trailhound.suppression.window.ms", suppressionWindowMs,
                "trailhound.baseline.learning.period.ms", learningPeriod.toMillis()), RuleCatalog.builtIn(), lateness, threads);
        // the final state of every alert, in the order first raised (a suppressed repeat updates its alert in place), kept on
        // disk: the heap holds a few dozen bytes per alert
        try (AlertSpill alerts = new AlertSpill()) {
            OfflineScan.Summary result = scan.run(records, alerts);
            alerts.forEach(a -> out.println(format == Format.json ? AlertJson.json(a) : AlertJson.text(a)));
            out.flush();
            report(err, records, result, alerts.size());
        }
        return records.refused().isEmpty() ? 0 : 1;
    }

    private void report(PrintWriter err, ScanSource records, OfflineScan.Summary result, int alerts) {
        for (String reason : records.refused()) {
            err.println("scan: refused " + reason);
        }
        if (result.late() > 0) {
            err.printf("scan: %d record(s) came more than the lateness (%s) after later ones and were scanned out of event-time "
                    + "order (first: %s); a larger --lateness puts them in order%n", result.late(), lateness, result.firstLate());
        }
        for (Alert h : result.held()) {
            // #18: the input ended inside the follow-up window; live, this hit would still be waiting too
            err.printf("scan: held at end of input, not alerted (its follow-up window had not passed): %s %s, %s at %s%n",
                    h.getRuleId(), h.getTitle(), h.getPrincipal() == null ? "" : h.getPrincipal().getArn(), h.getLastSeen());
        }
        err.printf("scanned %d records: %d alerts, %d dead-lettered%s%n", result.records(), alerts,
                result.deadLettered(), records.refused().isEmpty() ? "" : ", " + records.refused().size() + " file(s) refused");
        err.flush();
    }
}
