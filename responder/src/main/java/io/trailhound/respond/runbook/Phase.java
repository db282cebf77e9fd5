package io.trailhound.respond.runbook;

import io.trailhound.avro.ActionPhase;

/** Runbook phase, run in this order: evidence is preserved before anything is contained, and people are told last. */
public enum Phase {
    EVIDENCE,
    CONTAINMENT,
    NOTIFY;

    /** The audit record's phase symbol ({@code NOTIFY} is {@code NOTIFICATION} in the Avro schema). */
    public ActionPhase toAvro() {
        return switch (this) {
            case EVIDENCE -> ActionPhase.EVIDENCE;
            case CONTAINMENT -> ActionPhase.CONTAINMENT;
            case NOTIFY -> ActionPhase.NOTIFICATION;
        };
    }
}
