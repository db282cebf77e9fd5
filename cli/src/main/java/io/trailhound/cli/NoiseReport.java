package io.trailhound.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import io.trailhound.avro.Severity;
import io.trailhound.demo.month.MonthSettings;

/** Prints {@code bench noise}'s tables: volumes, per day, per rule, the response plan, and the figures against issue 13's targets. */
final class NoiseReport {

    private final NoiseFigures figures;
    private final NoisePlan plan;
    private final MonthSettings settings;

    NoiseReport(NoiseFigures figures, NoisePlan plan, MonthSettings settings) {
        this.figures = figures;
        this.plan = plan;
        this.settings = settings;
    }

    void print(PrintWriter out) {
        out.printf("%nnoise benchmark (benign month: %d days from %s, seed %d)%n", settings.days(), settings.start(), settings.seed());
        out.printf("%-40s %14s%n", "figure", "value");
        row(out, "records", figures.records());
        row(out, "alerts", figures.alerts().size());
        for (Severity s : Severity.values()) {
            row(out, "alerts " + s, figures.count(s));
        }
        out.printf("%n%-40s %14s %14s%n", "alerts per day (by first event)", "mean", "max");
        for (Severity s : Severity.values()) {
            long[] perDay = figures.perDay(s, settings.start());
            out.printf(Locale.ROOT, "%-40s %14.2f %14d%n", "per day " + s, Arrays.stream(perDay).average().orElse(0),
                Arrays.stream(perDay).max().orElse(0));
        }
        out.printf("%n%-40s %-14s %14s%n", "rule", "severity", "alerts");
        for (NoiseFigures.RuleCount r : figures.byRule()) {
            out.printf("%-40s %-14s %14d%n", r.ruleId(), r.severity(), r.count());
        }
        out.printf("%n%-40s %14s%n", "response plan (alerts as LIVE)", "steps");
        row(out, "automatic containment steps", plan.automaticContainment());
        row(out, "automatic evidence/notification steps", plan.automaticOther());
        row(out, "steps awaiting approval", plan.awaitingApproval());
        row(out, "steps skipped", plan.skippedTotal());
        for (Map.Entry<String, Integer> e : plan.skipped().entrySet()) {
            out.printf("  skipped: %-80s %8d%n", e.getKey(), e.getValue());
        }
        targets(out);
        out.flush();
    }

    private void targets(PrintWriter out) {
        long medium = figures.atLeast(Severity.MEDIUM);
        double perDay = medium / (double) settings.days();
        double perMillion = figures.records() == 0 ? 0 : medium * 1e6 / figures.records();
        long high = figures.atLeast(Severity.HIGH);
        out.printf("%n%-40s %14s  %-14s %14s  %7s  %s%n", "metric", "ours", "target", "target", "ratio", "verdict");
        target(out, "MEDIUM+ alerts per day", perDay, "issue 13 <=", NoiseBench.TARGET_MEDIUM_PER_DAY);
        out.printf(Locale.ROOT, "%-40s %14.1f  %-14s %14s  %7s  %s%n", "MEDIUM+ alerts per million events", perMillion, "(no target)",
            "-", "-", "-");
        target(out, "HIGH+CRITICAL alerts", high, "issue 13 =", 0);
        target(out, "automatic containment steps", plan.automaticContainment(), "issue 13 =", 0);
    }

    private static void target(PrintWriter out, String metric, double ours, String label, double target) {
        String ratio = target == 0 ? (ours == 0 ? "1.00" : "inf") : String.format(Locale.ROOT, "%.2f", ours / target);
        out.printf(Locale.ROOT, "%-40s %14.2f  %-14s %14.2f  %7s  %s%n", metric, ours, label, target, ratio,
            ours <= target ? "PASS" : "FAIL");
    }

    private static void row(PrintWriter out, String label, long value) {
        out.printf("%-40s %14d%n", label, value);
    }
}
