package io.trailhound.detect.scan;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;
import io.trailhound.serde.AvroJson;

/**
 * Renders an alert as the line {@code trailhound scan} prints: as JSON, every field of the Avro {@link Alert} through
 * {@link AvroJson} (the contract {@code trailhound plan} reads back, #14), or one line of text for people.
 */
public final class AlertJson {

    private AlertJson() {
    }

    /**
     * Severity as people read it in text: INFO, LOW, MEDIUM, HIGH, CRITICAL. JSON carries the schema's symbol
     * (INFORMATIONAL), so that what a reader parses is the Avro value itself.
     */
    public static String severity(Severity s) {
        return s == Severity.INFORMATIONAL ? "INFO" : s.name();
    }

    /** One line of JSON: the Avro alert, field for field. */
    public static String json(Alert a) {
        return AvroJson.write(a);
    }

    /** One line of text for people. */
    public static String text(Alert a) {
        return String.format("%s %-8s %-10s %s | %s | %s %s | events=%s", a.getFirstSeen(), severity(a.getSeverity()), a.getRuleId(),
                a.getTitle(), a.getPrincipal() == null ? "-" : a.getPrincipal().getPrincipalKey(), a.getAccountId(), a.getRegion(),
                a.getEventIds());
    }
}
