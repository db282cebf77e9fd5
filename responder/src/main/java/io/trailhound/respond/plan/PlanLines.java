package io.trailhound.respond.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.trailhound.avro.Alert;
import io.trailhound.respond.alert.AlertJson;
import io.trailhound.respond.runbook.IncidentIds;

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
     * Plans every alert read from {@code in} at {@code now}, grouped by incident (incidents in the order their first alert came,
     * each incident's alerts in input order), as the live responder would: an incident's chain-wide containment grows with
     * its alerts, and a step already planned for the incident (same action on the same resource) is not planned again, as
     * the responder's ledger would not repeat it, unless it waited for approval and a later alert makes it automatic (the
     * responder then takes it).
     *
     * @return a summary: alerts read, steps written, lines rejected
     */
    public Summary run(BufferedReader in, PrintWriter out, PrintWriter err, Instant now) throws IOException {
        int lineNumber = 0;
        int alerts = 0;
        int rejected = 0;
        Map<String, List<Numbered>> byIncident = new LinkedHashMap<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                Alert alert = AlertJson.parse(line);
                alerts++;
                byIncident.computeIfAbsent(IncidentIds.of(alert), id -> new ArrayList<>()).add(new Numbered(lineNumber, alert));
            } catch (IllegalArgumentException e) {
                rejected++;
                err.printf("line %d: skipped, %s%n", lineNumber, e.getMessage());
            }
        }
        Set<String> planned = new HashSet<>();
        Set<String> settled = new HashSet<>();
        int steps = 0;
        for (List<Numbered> incident : byIncident.values()) {
            for (Numbered n : incident) {
                List<PlannedStep> plan = planner.plan(n.alert(), now, settled::contains);
                if (plan.isEmpty()) {
                    err.printf("line %d: alert %s (rule '%s'): no runbook applies%n", n.line(), n.alert().getAlertId(),
                        n.alert().getRuleId());
                }
                for (PlannedStep step : plan) {
                    boolean settles = step.skipped() || !step.requiresApproval();
                    if (settled.contains(step.actionId()) || !planned.add(step.actionId()) && !settles) {
                        continue;
                    }
                    if (settles) {
                        settled.add(step.actionId());
                    }
                    out.println(PlanJson.line(step, true));
                    steps++;
                }
            }
        }
        out.flush();
        err.flush();
        return new Summary(alerts, steps, rejected);
    }

    private record Numbered(int line, Alert alert) {
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
