package io.trailhound.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table every {@code trailhound bench} area prints: our figure, the baseline measured in the same run, and their ratio. */
final class BenchTable {

    /** One measured figure next to its baseline; {@code higherIsBetter} says which way the ratio reads. */
    record Row(String metric, double ours, String baseline, double baselineValue, String unit, boolean higherIsBetter) {
        double ratio() {
            return baselineValue == 0 ? Double.NaN : ours / baselineValue;
        }
    }

    private final String area;
    private final List<Row> rows = new ArrayList<>();

    BenchTable(String area) {
        this.area = area;
    }

    BenchTable add(Row row) {
        rows.add(row);
        return this;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    void print(PrintWriter out) {
        out.printf("%n%s benchmark%n", area);
        out.printf("%-34s %14s  %-34s %14s  %-10s %7s%n", "metric", "ours", "baseline", "baseline", "unit", "ratio");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "%-34s %14.1f  %-34s %14.1f  %-10s %7.2f%s%n", row.metric(), row.ours(), row.baseline(),
                row.baselineValue(), row.unit(), row.ratio(), row.higherIsBetter() ? "" : " (lower is better)");
        }
        out.flush();
    }
}
