package io.trailhound.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;
import io.trailhound.respond.plan.PlannedStep;

/**
 * The case an analyst opens at the end of the demo: the most severe incident with its chain of identities (root first), its
 * timeline, and the responder's containment plan from the audit topic, with the steps that await a human's approval.
 *
 * @param incidentId  the incident's id
 * @param source      where the grouping came from: the stream processor's incident record, or the demo's own grouping
 * @param severity    the highest severity
 * @param title       one line
 * @param chain       the chain of identities, root first
 * @param timeline    what happened, oldest first
 * @param alerts      the incident's alerts
 * @param plan        the latest audit record of each response step for the incident's alerts
 */
public record IncidentSummary(String incidentId, String source, Severity severity, String title, List<ChainLink> chain,
        List<TimelineLine> timeline, List<Alert> alerts, List<ResponseAction> plan) {

    /** Where the grouping came from when the stream processor wrote an incident. */
    public static final String FROM_INCIDENTS = "trailhound.incidents";
    /** Where the grouping came from without an incident record. */
    public static final String FROM_ALERTS = "grouped by the demo from alerts sharing a root identity, access key or instance";

    /**
     * One line of the timeline.
     *
     * @param time event time
     * @param kind EVENT, ALERT, FINDING or ACTION
     * @param text what happened
     */
    public record TimelineLine(Instant time, String kind, String text) {
    }

    /** The summary of the most severe incident (then the one with most alerts), if there is any alert. */
    public static Optional<IncidentSummary> of(List<Alert> alerts, List<Incident> incidents, List<ResponseAction> actions) {
        Optional<Incident> top = incidents.stream().max(Comparator.comparing((Incident i) -> i.getSeverity().ordinal())
            .thenComparing(i -> i.getAlerts().size()));
        if (top.isPresent()) {
            return Optional.of(fromIncident(top.get(), alerts, actions));
        }
        return AlertGroups.of(alerts).stream().findFirst().map(group -> fromGroup(group, actions));
    }

    private static IncidentSummary fromIncident(Incident incident, List<Alert> alerts, List<ResponseAction> actions) {
        Set<String> ids = new LinkedHashSet<>();
        incident.getAlerts().forEach(ref -> ids.add(ref.getAlertId()));
        List<Alert> mine = alerts.stream().filter(a -> ids.contains(a.getAlertId())
            || incident.getIncidentId().equals(a.getIncidentId())).toList();
        List<TimelineLine> timeline = new ArrayList<>();
        incident.getTimeline().forEach(t -> timeline.add(new TimelineLine(t.getTime(), t.getKind().name(), t.getSummary())));
        if (timeline.isEmpty()) {
            timeline.addAll(alertTimeline(mine));
        }
        List<ChainLink> chain = incident.getChain().isEmpty() ? longestChain(mine) : incident.getChain();
        return new IncidentSummary(incident.getIncidentId(), FROM_INCIDENTS, incident.getSeverity(), incident.getTitle(), chain,
            timeline, mine, planFor(incident.getIncidentId(), mine, actions));
    }

    private static IncidentSummary fromGroup(List<Alert> group, List<ResponseAction> actions) {
        Alert worst = group.stream().max(Comparator.comparing((Alert a) -> a.getSeverity().ordinal())).orElseThrow();
        List<ChainLink> chain = longestChain(group);
        String root = chain.isEmpty() ? Names.principal(worst) : Names.shortArn(chain.get(0).getPrincipalArn());
        String id = "demo-" + group.get(0).getAlertId();
        return new IncidentSummary(id, FROM_ALERTS, worst.getSeverity(), worst.getTitle() + " (and " + (group.size() - 1)
            + " more alerts from " + root + ")", chain, alertTimeline(group), group, planFor(id, group, actions));
    }

    private static List<ChainLink> longestChain(List<Alert> alerts) {
        return alerts.stream().sorted(Comparator.comparing(Alert::getFirstSeen)).map(Alert::getChain)
            .max(Comparator.comparingInt(List::size)).orElse(List.of());
    }

    private static List<TimelineLine> alertTimeline(List<Alert> alerts) {
        List<TimelineLine> out = new ArrayList<>();
        for (Alert a : alerts) {
            String kind = a.getFindingIds().isEmpty() ? "ALERT" : "FINDING";
            out.add(new TimelineLine(a.getFirstSeen(), kind, String.format("%-8s %-10s %s — %s (%s %s)", a.getSeverity(), a.getRuleId(),
                a.getTitle(), Names.principal(a), a.getAccountId(), a.getRegion())));
        }
        out.sort(Comparator.comparing(TimelineLine::time));
        return out;
    }

    /**
     * The latest record of each step the responder took for these alerts, deduplicated by action, resource and step; a step a
     * refused alert (below the floor, stale) recorded as skipped gives way to the same step another alert took (#14).
     */
    private static ResponseAction later(ResponseAction old, ResponseAction now) {
        boolean oldRefused = PlannedStep.isRefused(old.getActionId());
        boolean nowRefused = PlannedStep.isRefused(now.getActionId());
        if (oldRefused != nowRefused) {
            return oldRefused ? now : old;
        }
        return now.getTime().isBefore(old.getTime()) ? old : now;
    }

    private static List<ResponseAction> planFor(String incidentId, List<Alert> alerts, List<ResponseAction> actions) {
        Set<String> alertIds = new LinkedHashSet<>();
        alerts.forEach(a -> alertIds.add(a.getAlertId()));
        Map<String, ResponseAction> steps = new LinkedHashMap<>();
        for (ResponseAction a : actions) {
            if (incidentId.equals(a.getIncidentId()) || (a.getAlertId() != null && alertIds.contains(a.getAlertId()))) {
                steps.merge(a.getAwsAction() + "|" + a.getResource() + "|" + a.getStep(), a, IncidentSummary::later);
            }
        }
        List<ResponseAction> plan = new ArrayList<>(steps.values());
        plan.sort(Comparator.comparing((ResponseAction a) -> a.getPhase().ordinal()).thenComparing(ResponseAction::getRunbook));
        return plan;
    }

    /** Whether a step waits for a human: it does, or it would outside dry run (destructive or configured). */
    public static boolean awaitsApproval(ResponseAction a) {
        return a.getStatus() == ActionStatus.AWAITING_APPROVAL
            || (a.getStatus() == ActionStatus.DRY_RUN && (a.getDestructive() || a.getReason() != null));
    }

    /** The steps that wait (or in live mode would wait) for approval. */
    public List<ResponseAction> awaitingApproval() {
        return plan.stream().filter(IncidentSummary::awaitsApproval).toList();
    }

    /** Alerts per severity, most severe first. */
    public Map<Severity, Long> severityCounts() {
        Map<Severity, Long> counts = new HashMap<>();
        alerts.forEach(a -> counts.merge(a.getSeverity(), 1L, Long::sum));
        Map<Severity, Long> ordered = new LinkedHashMap<>();
        List<Severity> all = new ArrayList<>(List.of(Severity.values()));
        all.sort(Comparator.comparing(Function.<Severity>identity()).reversed());
        all.forEach(s -> {
            if (counts.containsKey(s)) {
                ordered.put(s, counts.get(s));
            }
        });
        return ordered;
    }
}
