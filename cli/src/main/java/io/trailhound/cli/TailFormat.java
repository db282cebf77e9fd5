package io.trailhound.cli;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Principal;
import io.trailhound.avro.Severity;
import io.trailhound.detect.scan.AlertJson;

/**
 * How {@code tail} prints alerts and incidents: one aligned line each for people (severity in colour on a terminal), or
 * one JSON object per line for scripts (for alerts exactly the line {@code trailhound scan} prints).
 */
final class TailFormat {

    private static final String RESET = "\u001b[0m";
    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    /** One JSON line for an incident, with the same field names as the alert line where they mean the same thing. */
    static String json(Incident i) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("incidentId", i.getIncidentId());
        n.put("status", i.getStatus().name());
        n.put("severity", AlertJson.severity(i.getSeverity()));
        n.put("title", i.getTitle());
        n.put("principal", principal(i.getPrincipal()));
        n.put("principalKey", i.getPrincipal() == null ? null : i.getPrincipal().getPrincipalKey());
        ArrayNode chain = n.putArray("chain");
        for (ChainLink link : i.getChain()) {
            chain.add(link.getPrincipalArn());
        }
        strings(n.putArray("accountIds"), i.getAccountIds());
        strings(n.putArray("regions"), i.getRegions());
        ArrayNode alerts = n.putArray("alerts");
        for (AlertRef ref : i.getAlerts()) {
            alerts.addObject().put("alertId", ref.getAlertId()).put("ruleId", ref.getRuleId())
                .put("severity", AlertJson.severity(ref.getSeverity())).put("title", ref.getTitle()).put("time", ref.getTime().toString());
        }
        strings(n.putArray("findingIds"), i.getFindingIds());
        n.put("startedAt", i.getStartedAt().toString());
        n.put("lastActivityAt", i.getLastActivityAt().toString());
        n.put("mode", i.getMode().name());
        return n.toString();
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

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
