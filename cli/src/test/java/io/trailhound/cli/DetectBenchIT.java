package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code trailhound bench detect} at tiny sizes on the real broker and registry: the table's shape and sane values, not speed. */
class DetectBenchIT {

    private static final String NUMBER = "([\\d.]+|NaN)";

    @Test
    @Timeout(900)
    void shouldPrintThroughputLatencyAndStateNextToTheirBaselinesAndTargets() {
        CliRun cli = new CliRun();
        int exit = cli.exec("bench", "detect", "--principals", "40", "--events", "2000", "--history-days", "9", "--rate", "200",
            "--latency-seconds", "4", "--suspicious-fraction", "0.1", "--no-at-least-once", "--rate-steps", "400", "--step-seconds", "3",
            "--warmup-seconds", "1", "--rounds", "2");
        String table = cli.out();
        assertEquals(0, exit, table + cli.err());
        assertTrue(table.contains("each latency run follows 1 s of the same load, not measured"), table);
        assertTrue(table.contains("detect (2000 CloudTrail records, 40 principals; latency at 200 events/s for 4 s)"), table);

        double[] eos = row(table, "detection topology exactly_once_v2", "identity exactly_once_v2", "events/s");
        assertTrue(eos[0] > 0 && eos[1] > 0, "both topologies processed the records: " + table);
        assertTrue(Math.abs(eos[2] - eos[0] / eos[1]) < 0.01, "the ratio is ours / baseline: " + table);
        assertTrue(!table.contains("at_least_once"), "--no-at-least-once skips those rows: " + table);
        double[] median = row(table, "detection, median of 2 rounds", "identity, median of 2 rounds", "events/s");
        assertTrue(median[0] > 0 && median[1] > 0, "the second round ran both topologies: " + table);
        Matcher rounds = Pattern.compile("x identity:\\s+" + NUMBER + "\\s+(PASS|FAIL) \\(median of 2 rounds, detection/identity "
            + "events/s: (\\d+)/(\\d+) = " + NUMBER + ", (\\d+)/(\\d+) = " + NUMBER + "\\)").matcher(table);
        assertTrue(rounds.find(), "the verdict names each round's ratio: " + table);
        double first = parse(rounds.group(5));
        double second = parse(rounds.group(8));
        assertEquals((first + second) / 2, parse(rounds.group(1)), 0.011, "two rounds: the mean of their ratios: " + table);
        assertEquals(eos[0], parse(rounds.group(3)), 0.51, "the first round is the detection row's run: " + table);
        double[] shape = row(table, "shape only exactly_once_v2", "identity exactly_once_v2", "events/s");
        assertEquals(eos[1], shape[1], 0.01, "the shape is compared with the same identity run: " + table);
        double[] overShape = row(table, "detection topology exactly_once_v2", "shape only \\(repartition\\+store\\)", "events/s");
        assertEquals(eos[0], overShape[0], 0.01, table);
        assertTrue(overShape[1] > 0 && Math.abs(overShape[2] - overShape[0] / overShape[1]) < 0.01, "detection / shape: " + table);

        double[] p50 = row(table, "detection latency p50", "identity latency p50", "ms");
        double[] p99 = row(table, "detection latency p99", "identity latency p99", "ms");
        assertTrue(p50[0] > 0 && p50[0] <= p99[0], "alerts arrive after their events, p50 <= p99: " + table);
        assertTrue(p50[1] >= 0 && p50[1] <= p99[1], "the identity copies were measured too: " + table);

        double[] state = row(table, "state per principal \\(no dedup\\)", "target \\(issue #4\\)", "B");
        assertEquals(2048.0, state[1], 0.01, table);
        // every principal has a baseline of at least its key and first-seen time, and alerts and lineage add to it
        assertTrue(state[0] > 50 && state[0] < 100_000, "bytes per principal: " + table);
        double[] all = row(table, "state per principal \\(all stores\\)", "target \\(issue #4\\)", "B");
        assertTrue(all[0] >= state[0], "all stores hold at least the per-principal ones: " + table);

        assertTrue(table.matches("(?s).*principals: 40 generated, 40 with a baseline.*"), table);
        assertTrue(table.matches("(?s).*CPU us per record[^\\n]* identity-eos \\d+ shape-eos \\d+ keyed-shape-eos \\d+ "
            + "keyed-parse-eos \\d+ detect-eos \\d+ identity-eos-2 \\d+ detect-eos-2 \\d+\\n.*"), table);
        // the floors for keyed input (#16): each compared with the same identity run, and with detection
        double[] keyed = row(table, "keyed shape exactly_once_v2", "identity exactly_once_v2", "events/s");
        double[] parsed = row(table, "keyed shape \\+ JSON tree", "identity exactly_once_v2", "events/s");
        assertTrue(keyed[0] > 0 && parsed[0] > 0, table);
        assertEquals(eos[1], keyed[1], 0.01, table);
        assertEquals(eos[1], parsed[1], 0.01, table);
        double[] overKeyed = row(table, "detection topology exactly_once_v2", "keyed shape \\(store only\\)", "events/s");
        assertEquals(keyed[0], overKeyed[1], 0.01, "detection / keyed shape: " + table);
        assertTrue(table.matches("(?s).*detection: offered 800 events \\(\\d+ suspicious\\) at \\d+/s; [1-9]\\d* alerts "
            + "\\(\\d+ unmatched\\).*"), table);
        assertTrue(table.matches("(?s).*detection: [^\\n]* readable p50/p90/p99/max \\d+/\\d+/\\d+/\\d+ ms \\(after the first 5 s: p99 "
            + "(\\d+|NaN)\\)[^\\n]*; slowest: \\d+ ms @ \\+\\d+\\.\\d s.*"), table);
        assertTrue(table.matches("(?s).*step 400/s: offered 1200 events \\(\\d+ suspicious\\).*"), "the rate step ran: " + table);
        Matcher highest = Pattern.compile("highest offered load with p99 < 250 ms: (\\d+) events/s( or more)? \\(loads tried: "
            + "200,400 events/s\\)").matcher(table);
        assertTrue(highest.find(), table);
        int rate = Integer.parseInt(highest.group(1));
        assertTrue(rate == 0 || rate == 200 || rate == 400, table);
        assertEquals(rate == 400, highest.group(2) != null, "\" or more\" only when the highest load tried met the target: " + table);
        for (String target : new String[] {"events/s exactly_once_v2 >= 0.50 x identity", "detection latency p99 < 250 ms at 200 events/s",
            "state per principal < 2048 B"}) {
            assertTrue(table.matches("(?s).*" + Pattern.quote(target) + "[^\\n]*(PASS|FAIL)( \\([^\\n]*\\))?\\n.*"),
                target + " in " + table);
        }
    }

    /** Our figure, the baseline and the ratio of the row {@code metric}; fails if the row is missing or malformed. */
    private static double[] row(String table, String metric, String baseline, String unit) {
        Matcher m = Pattern.compile(metric + "\\s+" + NUMBER + "\\s+" + baseline + "\\s+" + NUMBER + "\\s+" + Pattern.quote(unit)
            + "\\s+" + NUMBER).matcher(table);
        assertTrue(m.find(), "row " + metric + " in " + table);
        return new double[] {parse(m.group(1)), parse(m.group(2)), parse(m.group(3))};
    }

    private static double parse(String number) {
        return Double.parseDouble(number.toLowerCase(Locale.ROOT).equals("nan") ? "NaN" : number);
    }
}
