package io.trailhound.respond.runbook;

import java.util.List;
import java.util.Map;

/** The single step of a case that automation must not touch: it hands the incident to a person with the reason. */
public final class Escalation {

    private Escalation() {
    }

    /** One NOTIFY step asking a human to handle {@code resource}, saying why automation stopped. */
    public static List<Step> toHuman(String resource, String reason) {
        return List.of(Step.of("escalate-to-human", Phase.NOTIFY, AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN, resource,
            Map.of("reason", reason)));
    }
}
