package io.trailhound.respond.runbook;

import io.trailhound.avro.Alert;

/** The incident an alert's response belongs to; it scopes idempotency keys, evidence keys and tags. */
public final class IncidentIds {

    private IncidentIds() {
    }

    /** The alert's incident id, or {@code alert-<alertId>} while the alert is not grouped into an incident yet. */
    public static String of(Alert alert) {
        String incident = alert.getIncidentId();
        return incident == null || incident.isBlank() ? "alert-" + alert.getAlertId() : incident;
    }
}
