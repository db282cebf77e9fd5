package io.trailhound.respond.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

import io.trailhound.avro.Alert;
import io.trailhound.respond.alert.AlertJson;

/**
 * Dry-run planning over alerts as JSON lines: one JSON line per planned step on the output, one note per line that could
 * not be read or has no runbook on the error stream. What {@code trailhound plan} runs.
 */
public final class PlanLines {

    private final ResponsePlanner planner;

    public PlanLines(ResponsePlanner planner) {
        this.planner = planner;
    }

    /**
     * Plans every alert read from {@code in} at {@code now}.
     *
     * @return a summary: alerts read, steps written, lines rejected
     */
    public Summary run(BufferedReader in, PrintWriter out, PrintWriter err, Instant now) throws IOException {
        int lineNumber = 0;
        int alerts = 0;
        int steps = 0;
        int rejected = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Alert alert;
            try {
                alert = AlertJson.parse(line);
            } catch (IllegalArgumentException e) {
                rejected++;
                err.printf("line %d: skipped, %s%n", lineNumber, e.getMessage());
                continue;
            }
            alerts++;
            List<PlannedStep> plan = planner.plan(alert, now);
            if (plan.isEmpty()) {
                err.printf("line %d: alert %s (rule '%s'): no runbook applies%n", lineNumber, alert.getAlertId(), alert.getRuleId());
            }
            for (PlannedStep step : plan) {
                out.println(PlanJson.line(step, true));
                steps++;
            }
        }
        out.flush();
        err.flush();
        return new Summary(alerts, steps, rejected);
    }

    /**
     * What a planning run did.
     *
     * @param alerts   alerts read
     * @param steps    step lines written
     * @param rejected input lines that were not alerts
     */
    public record Summary(int alerts, int steps, int rejected) {
    }
}
