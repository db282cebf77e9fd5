package io.trailhound.respond.release;

import java.util.List;

import io.trailhound.respond.plan.PlannedStep;

/**
 * What releasing an incident's containment would do (#14): the release steps, in the reverse order of containment, each
 * waiting for approval; and the incident's actions that stay as they are, with the reason.
 *
 * @param incidentId the incident
 * @param steps      release steps, runbook {@link ReleasePlanner#RUNBOOK}, action id {@code <incident>|release|<original>}
 * @param kept       actions not released
 */
public record ReleasePlan(String incidentId, List<PlannedStep> steps, List<Kept> kept) {

    /** Copies the lists. */
    public ReleasePlan {
        steps = List.copyOf(steps);
        kept = List.copyOf(kept);
    }

    /**
     * An action of the incident that is not released.
     *
     * @param actionId  its action id
     * @param awsAction its action, e.g. {@code ec2:CreateSnapshots}
     * @param resource  its resource
     * @param reason    why it stays
     */
    public record Kept(String actionId, String awsAction, String resource, String reason) {
    }
}
