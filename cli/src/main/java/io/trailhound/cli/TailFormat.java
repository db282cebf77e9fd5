package io.trailhound.cli;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Principal;
import io.trailhound.avro.Severity;
import io.trailhound.detect.scan.AlertJson;
import io.trailhound.serde.AvroJson;

/**
 * How {@code tail} prints alerts and incidents: one aligned line each for people (severity in colour on a terminal), or
 * one JSON object per line for scripts: the Avro record, field for field (for alerts exactly the line {@code trailhound scan}
 * prints).
 */
final class TailFormat {

    private static final String RESET = "\u001b[0m";

    private final boolean color;

    TailFormat(boolean color) {
        this.color = color;
    }

    /** One aligned line: time, severity, rule, title, principal, account and region, count. */
    String text(Alert a) {
        return String.format("%-24s %s %-12s %-48s %-60s %-12s %-14s x%d", a.getLastSeen(), severity(a.getSeverity()),
            clean(a.getRuleId()), clean(a.getTitle()), clean(principal(a.getPrincipal())), clean(a.getAccountId()),
            clean(a.getRegion()), a.getCount());
    }

    /** One aligned line: last activity, severity, incident id, status, title, principal, accounts, number of alerts. */
    String text(Incident i) {
        return String.format("%-24s %s %-40s %-9s %-48s %-60s %s alerts=%d", i.getLastActivityAt(), severity(i.getSeverity()),
            clean(i.getIncidentId()), i.getStatus(), clean(i.getTitle()), clean(principal(i.getPrincipal())),
            clean(String.join(",", i.getAccountIds())), i.getAlerts().size());
    }

    /** The scan's JSON line for an alert. */
    static String json(Alert a) {
        return AlertJson.json(a);
    }

    /** One JSON line for an incident: the Avro incident through the mapping the alerts' lines use (#14). */
    static String json(Incident i) {
        return AvroJson.write(i);
    }

    /** The principal as people know it: its ARN, else its durable key; "-" when there is none. */
    static String principal(Principal p) {
        if (p == null) {
            return "-";
        }
        return p.getArn() != null ? p.getArn() : p.getPrincipalKey();
    }

    private String severity(Severity s) {
        String name = String.format("%-8s", AlertJson.severity(s));
        if (!color) {
            return name;
        }
        String code = switch (s) {
            case CRITICAL -> "\u001b[1;97;41m";
            case HIGH -> "\u001b[1;31m";
            case MEDIUM -> "\u001b[33m";
            case LOW -> "\u001b[36m";
            default -> "\u001b[2m";
        };
        return code + name + RESET;
    }

    /** Attacker-controlled text never reaches the terminal as control characters (no escape sequences, no line breaks). */
    static String clean(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
