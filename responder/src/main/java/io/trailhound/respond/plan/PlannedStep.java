package io.trailhound.respond.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.trailhound.respond.runbook.Step;

/**
 * A runbook step in the context of one alert, after the safety rules ruled on it: either it may run (now, or once
 * approved), or it is skipped with the reason.
 *
 * @param actionId       idempotency key: incident id + action + resource + step name (one runbook may call the same action
 *                       on the same resource for different attributes)
 * @param incidentId     incident the step responds to
 * @param alertId        alert that triggered the runbook
 * @param runbook        runbook id
 * @param order          1-based position in the runbook
 * @param step           the step itself
 * @param accountId      account the step runs in
 * @param region         region the step runs in
 * @param approvalReason why the step waits for approval; {@code null} when it does not
 * @param skippedReason  why a safety rule suppresses the step; {@code null} when it may run
 */
public record PlannedStep(String actionId, String incidentId, String alertId, String runbook, int order, Step step,
                          String accountId, String region, String approvalReason, String skippedReason) {

    private static final String REFUSED = "|refused:";

    /** Checks the identity fields. */
    public PlannedStep {
        Objects.requireNonNull(actionId, "actionId");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(step, "step");
    }

    /** The idempotency key of {@code step} in {@code incidentId}. */
    public static String actionId(String incidentId, Step step) {
        return incidentId + "|" + step.action().id() + "|" + step.resource() + "|" + step.name();
    }

    /**
     * The id under which a refused alert (replayed, stale, below the floor) records its skipped step: it names the alert, so
     * the record settles nothing another alert of the incident may do.
     */
    public static String refused(String actionId, String alertId) {
        return actionId + REFUSED + alertId;
    }

    /** Whether {@code actionId} is a refused alert's record of a step (see {@link #refused}). */
    public static boolean isRefused(String actionId) {
        return actionId.contains(REFUSED);
    }

    /** Whether a safety rule suppresses this step. */
    public boolean skipped() {
        return skippedReason != null;
    }

    /** Whether the step waits for a human decision. */
    public boolean requiresApproval() {
        return approvalReason != null;
    }

    /** This step with {@code more} parameters (same action id): what an approval request showed, kept for the execution. */
    public PlannedStep withParameters(Map<String, String> more) {
        Map<String, String> parameters = new HashMap<>(step.parameters());
        parameters.putAll(more);
        Step changed = new Step(step.name(), step.phase(), step.action(), step.resource(), parameters, step.destructive(),
            step.requiresApproval());
        return new PlannedStep(actionId, incidentId, alertId, runbook, order, changed, accountId, region, approvalReason, skippedReason);
    }
}
