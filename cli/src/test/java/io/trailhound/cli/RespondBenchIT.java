package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code trailhound bench respond} at a tiny size on the real broker and registry: the table's shape and sane values, not speed. */
class RespondBenchIT {

    private static final String NUMBER = "([\\d.]+|NaN)";

    @Test
    @Timeout(600)
    void shouldPrintAlertToFirstRequestLatencyNextToKafkaLatencyAndTheTarget() {
        CliRun cli = new CliRun();
        int exit = cli.exec("bench", "respond", "--alerts", "6", "--warmup", "1");
        String table = cli.out();
        assertEquals(0, exit, table + cli.err());
        assertTrue(table.contains("respond (6 alerts one at a time after 1 warm-up; in-JVM broker, local IAM) benchmark"), table);
        double[] p50 = row(table, "alert -> first AWS request p50", "Kafka produce -> consume p50");
        double[] p99 = row(table, "alert -> first AWS request p99", "Kafka produce -> consume p99");
        assertTrue(p50[0] > 0 && p50[0] <= p99[0], "p50 <= p99 for the responder: " + table);
        assertTrue(p50[1] > 0 && p50[1] <= p99[1], "p50 <= p99 for the baseline: " + table);
        // the table prints milliseconds to 0.1 and the ratio of the unrounded figures: allow exactly that rounding
        double low = (p99[0] - 0.05) / (p99[1] + 0.05) - 0.005;
        double high = (p99[0] + 0.05) / (p99[1] - 0.05) + 0.005;
        assertTrue(p99[2] >= low && p99[2] <= high, "the ratio is ours / baseline: " + table);
        assertTrue(p50[0] >= p50[1] * 0.5, "the responder path includes a Kafka hop, so it cannot be much faster: " + table);
        assertTrue(table.matches("(?s).*target: alert -> first AWS request p99 < 1000 ms: [\\d.]+ ms (PASS|FAIL)\\n.*"), table);
    }

    private static double[] row(String table, String metric, String baseline) {
        Matcher m = Pattern.compile(Pattern.quote(metric) + "\\s+" + NUMBER + "\\s+" + Pattern.quote(baseline) + "\\s+" + NUMBER
            + "\\s+ms\\s+" + NUMBER).matcher(table);
        assertTrue(m.find(), "row " + metric + " in " + table);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))};
    }
}
