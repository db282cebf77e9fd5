package io.trailhound.detect.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.IncidentStatus;
import io.trailhound.avro.Mode;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.avro.TimelineEntry;
import io.trailhound.avro.TimelineEntryKind;

/** Folds an alert into an incident: timeline, unions of accounts, regions and entities, severity and its escalation. */
final class IncidentBuilder {

    /** Most alerts and timeline entries an incident keeps (the most recent), so its record stays bounded. */
    static final int MAX_ENTRIES = 200;

    private IncidentBuilder() {
    }

    /** {@code incident} (null: a new one with id {@code incidentId}) with {@code alert} added or, for a known alert id, updated. */
    static Incident merge(Incident incident, String incidentId, Alert alert, Mode mode) {
        Incident base = incident != null ? incident : Incident.newBuilder().setIncidentId(incidentId).setStatus(IncidentStatus.OPEN)
                .setStartedAt(alert.getFirstSeen()).setLastActivityAt(alert.getLastSeen()).build();
        Incident.Builder b = Incident.newBuilder(base);
        List<AlertRef> refs = new ArrayList<>(b.getAlerts());
        refs.removeIf(r -> r.getAlertId().equals(alert.getAlertId()));
        refs.add(AlertRef.newBuilder().setAlertId(alert.getAlertId()).setRuleId(alert.getRuleId())
                .setSeverity(alert.getSeverity()).setTitle(alert.getTitle()).setTime(alert.getLastSeen()).build());
        refs.sort(Comparator.comparing(AlertRef::getTime).thenComparing(AlertRef::getAlertId));
        b.setAlerts(tail(refs));

        List<TimelineEntry> timeline = new ArrayList<>(b.getTimeline());
        String ref = finding(alert) ? alert.getFindingIds().get(0) : alert.getAlertId();
        timeline.removeIf(t -> t.getReferenceId().equals(ref));
        timeline.add(TimelineEntry.newBuilder().setTime(alert.getFirstSeen())
                .setKind(finding(alert) ? TimelineEntryKind.FINDING : TimelineEntryKind.ALERT)
                .setReferenceId(ref).setSummary(summary(alert)).build());
        timeline.sort(Comparator.comparing(TimelineEntry::getTime).thenComparing(TimelineEntry::getReferenceId));
        b.setTimeline(tail(timeline));

        if (b.getChain().size() < alert.getChain().size() || b.getPrincipal() == null && alert.getPrincipal() != null) {
            b.setChain(new ArrayList<>(alert.getChain()));
            b.setPrincipal(alert.getPrincipal());
        }
        List<String> accounts = new ArrayList<>();
        alert.getChain().forEach(l -> accounts.add(l.getAccountId()));
        accounts.add(alert.getAccountId());
        b.setAccountIds(union(b.getAccountIds(), accounts));
        b.setRegions(union(b.getRegions(), List.of(alert.getRegion())));
        b.setEntities(union(b.getEntities(), alert.getEntities()));
        b.setFindingIds(union(b.getFindingIds(), alert.getFindingIds()));
        b.setStartedAt(min(b.getStartedAt(), alert.getFirstSeen()));
        b.setLastActivityAt(max(b.getLastActivityAt(), alert.getLastSeen()));
        b.setSeverity(severity(refs, !b.getFindingIds().isEmpty()));
        b.setTitle(title(refs, b.getChain(), b.getPrincipal() == null ? null : b.getPrincipal().getArn()));
        return b.setMode(mode).build();
    }

    private static boolean finding(Alert alert) {
        return alert.getRuleKind() == RuleKind.CORRELATION && !alert.getFindingIds().isEmpty();
    }

    private static String summary(Alert alert) {
        StringBuilder sb = new StringBuilder().append(alert.getRuleId()).append(' ').append(alert.getTitle());
        if (alert.getPrincipal() != null && alert.getPrincipal().getArn() != null) {
            sb.append(" by ").append(alert.getPrincipal().getArn());
        }
        if (alert.getCount() > 1) {
            sb.append(" (x").append(alert.getCount()).append(')');
        }
        return sb.toString();
    }

    /**
     * The highest alert severity, raised one level when a GuardDuty finding and CloudTrail detections meet in the incident
     * (two independent sources agreeing).
     */
    static Severity severity(List<AlertRef> refs, boolean hasFinding) {
        Severity top = refs.stream().map(AlertRef::getSeverity).max(Comparator.naturalOrder()).orElse(Severity.INFORMATIONAL);
        boolean hasCloudTrail = refs.stream().anyMatch(r -> !FindingProcessor.RULE_ID.equals(r.getRuleId()));
        if (hasFinding && hasCloudTrail && top != Severity.CRITICAL) {
            return Severity.values()[top.ordinal() + 1];
        }
        return top;
    }

    private static String title(List<AlertRef> refs, List<ChainLink> chain, String principalArn) {
        AlertRef top = refs.stream().max(Comparator.comparing(AlertRef::getSeverity)).orElseThrow();
        String who = !chain.isEmpty() ? chain.get(0).getPrincipalArn() : principalArn;
        String title = top.getTitle() + (who == null ? "" : " (" + who + ")");
        return refs.size() > 1 ? title + " and " + (refs.size() - 1) + " more alert(s)" : title;
    }

    private static <T> List<T> tail(List<T> list) {
        return list.size() > MAX_ENTRIES ? new ArrayList<>(list.subList(list.size() - MAX_ENTRIES, list.size())) : list;
    }

    private static List<String> union(List<String> a, List<String> b) {
        LinkedHashSet<String> all = new LinkedHashSet<>(a);
        b.stream().filter(v -> v != null && !v.isEmpty()).forEach(all::add);
        return new ArrayList<>(all);
    }

    private static Entities union(Entities a, Entities b) {
        Map<String, List<String>> other = new HashMap<>(a.getOther());
        b.getOther().forEach((k, v) -> other.merge(k, v, IncidentBuilder::union));
        Map<String, String> regions = new HashMap<>(a.getInstanceRegions());
        regions.putAll(b.getInstanceRegions());
        return Entities.newBuilder()
                .setAccessKeyIds(field(a, b, Entities::getAccessKeyIds))
                .setInstanceIds(field(a, b, Entities::getInstanceIds))
                .setUserNames(field(a, b, Entities::getUserNames))
                .setRoleArns(field(a, b, Entities::getRoleArns))
                .setIpAddresses(field(a, b, Entities::getIpAddresses))
                .setBuckets(field(a, b, Entities::getBuckets))
                .setSnapshotIds(field(a, b, Entities::getSnapshotIds))
                .setImageIds(field(a, b, Entities::getImageIds))
                .setInstanceRegions(regions)
                .setOther(other)
                .build();
    }

    private static List<String> field(Entities a, Entities b, Function<Entities, List<String>> get) {
        return union(get.apply(a), get.apply(b));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
