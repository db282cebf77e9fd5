package io.trailhound.detect.scan;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Severity;

/** Renders an alert as the one-line JSON (or text) that {@code trailhound scan} prints, with a stable field order. */
public final class AlertJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    /** Severity as scan output names it: INFO, LOW, MEDIUM, HIGH, CRITICAL. */
    public static String severity(Severity s) {
        return s == Severity.INFORMATIONAL ? "INFO" : s.name();
    }

    /** One line of JSON. */
    public static String json(Alert a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("alertId", a.getAlertId());
        n.put("ruleId", a.getRuleId());
        n.put("ruleKind", a.getRuleKind().name());
        n.put("title", a.getTitle());
        n.put("severity", severity(a.getSeverity()));
        n.put("tactic", a.getMitreTactic());
        n.put("technique", a.getMitreTechniqueId());
        ObjectNode mitre = n.putObject("mitre");
        mitre.put("tactic", a.getMitreTactic());
        mitre.put("techniqueId", a.getMitreTechniqueId());
        mitre.put("techniqueName", a.getMitreTechniqueName());
        n.put("accountId", a.getAccountId());
        n.put("region", a.getRegion());
        n.put("principal", a.getPrincipal() == null ? null
                : a.getPrincipal().getArn() != null ? a.getPrincipal().getArn() : a.getPrincipal().getPrincipalKey());
        n.put("principalKey", a.getPrincipal() == null ? null : a.getPrincipal().getPrincipalKey());
        ArrayNode chain = n.putArray("chain");
        for (ChainLink link : a.getChain()) {
            chain.add(link.getPrincipalArn());
        }
        entities(n.putObject("entities"), a.getEntities());
        strings(n.putArray("eventIds"), a.getEventIds());
        strings(n.putArray("findingIds"), a.getFindingIds());
        n.put("incidentId", a.getIncidentId());
        n.put("runbook", a.getRunbook());
        n.put("count", a.getCount());
        n.put("firstSeen", a.getFirstSeen().toString());
        n.put("lastSeen", a.getLastSeen().toString());
        n.put("evidence", a.getEvidence());
        n.put("mode", a.getMode().name());
        return n.toString();
    }

    /** One line of text for people. */
    public static String text(Alert a) {
        return String.format("%s %-8s %-10s %s | %s | %s %s | events=%s", a.getFirstSeen(), severity(a.getSeverity()), a.getRuleId(),
                a.getTitle(), a.getPrincipal() == null ? "-" : a.getPrincipal().getPrincipalKey(), a.getAccountId(), a.getRegion(),
                a.getEventIds());
    }

    private static void entities(ObjectNode n, Entities e) {
        strings(n.putArray("accessKeyIds"), e.getAccessKeyIds());
        strings(n.putArray("instanceIds"), e.getInstanceIds());
        strings(n.putArray("userNames"), e.getUserNames());
        strings(n.putArray("roleArns"), e.getRoleArns());
        strings(n.putArray("ips"), e.getIpAddresses());
        strings(n.putArray("buckets"), e.getBuckets());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
