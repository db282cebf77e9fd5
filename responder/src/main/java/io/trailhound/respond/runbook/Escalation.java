package io.trailhound.respond.runbook;

import java.util.List;
import java.util.Map;

/** The single step of a case that automation must not touch: it hands the incident to a person with the reason. */
public final class Escalation {

    /** Action of a step that only asks a person to act. */
    public static final String ACTION = "trailhound:EscalateToHuman";

    private Escalation() {
    }

    /** One NOTIFY step asking a human to handle {@code resource}, saying why automation stopped. */
    public static List<Step> toHuman(String resource, String reason) {
        return List.of(Step.of("escalate-to-human", Phase.NOTIFY, ACTION, resource, Map.of("reason", reason)));
    }
}
