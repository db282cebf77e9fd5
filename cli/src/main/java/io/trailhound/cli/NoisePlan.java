package io.trailhound.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.respond.runbook.Phase;

/**
 * What {@code trailhound plan} would do with a benchmark's alerts had they arrived LIVE: the planner {@code plan} builds
 * from the default responder configuration, each alert planned at its own last event time in that order, so the staleness
 * gate and the circuit breaker see the month's real flow rather than one instant.
 *
 * @param automaticContainment containment steps that would run without a human
 * @param automaticOther       evidence and notification steps that would run without a human
 * @param awaitingApproval     steps that would wait for approval
 * @param skipped              steps a safety rule suppressed, by reason (numbers in reasons replaced by N)
 */
record NoisePlan(int automaticContainment, int automaticOther, int awaitingApproval, Map<String, Integer> skipped) {

    static NoisePlan of(List<Alert> alerts) {
        ResponsePlanner planner = ResponsePlanner.from(new ResponderConfig(Map.of(ResponderConfig.DRY_RUN_CONFIG, "true")));
        int containment = 0;
        int other = 0;
        int approval = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        List<Alert> inOrder = alerts.stream().sorted(Comparator.comparing(Alert::getLastSeen)).toList();
        for (Alert alert : inOrder) {
            Alert live = Alert.newBuilder(alert).setMode(Mode.LIVE).build();
            for (PlannedStep step : planner.plan(live, live.getLastSeen())) {
                if (step.skipped()) {
                    skipped.merge(step.skippedReason().replaceAll("\\d+", "N"), 1, Integer::sum);
                } else if (step.requiresApproval()) {
                    approval++;
                } else if (step.step().phase() == Phase.CONTAINMENT) {
                    containment++;
                } else {
                    other++;
                }
            }
        }
        return new NoisePlan(containment, other, approval, skipped);
    }

    int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }
}
