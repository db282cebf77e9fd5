package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.AlertRef;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.TimelineEntry;
import io.trailhound.avro.TimelineEntryKind;
import io.trailhound.topic.Topics;

/**
 * Everything a post-incident report shows, gathered from the topics: the incident's latest state, its alerts, the response
 * actions and approvals, and the raw GuardDuty findings it names. Topics are read from a day before the incident started
 * (their record timestamps are event time or later), so the report never scans years of alerts.
 */
record ReportData(Incident incident, List<Alert> alerts, List<ResponseAction> actions, List<ApprovalRequest> approvals,
                  Map<String, ApprovalDecision> decisions, List<JsonNode> findings) {

    /** How long before the incident's first activity related records may carry timestamps. */
    static final Duration LOOKBACK = Duration.ofDays(1);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern S3_URI = Pattern.compile("s3://[A-Za-z0-9.\\-_]+(/[^\"\\s,}]*)?");
    private static final Pattern SNAPSHOT = Pattern.compile("\\bsnap-[0-9a-f]{8,17}\\b");

    /** One timeline row: an incident entry, an alert or a response action. */
    record Entry(Instant time, String kind, String reference, String summary) { }

    /** Reads the incident {@code incidentId} and what belongs to it; null when no incident has that id. */
    static ReportData load(ReplayReader reader, Topics topics, String incidentId, PrintWriter err) {
        Incident incident = latestIncident(reader, topics, incidentId, err);
        if (incident == null) {
            return null;
        }
        Instant from = incident.getStartedAt().minus(LOOKBACK);
        Set<String> alertIds = new HashSet<>();
        incident.getAlerts().forEach(ref -> alertIds.add(ref.getAlertId()));
        Map<String, Alert> alerts = new LinkedHashMap<>();
        // the incident lists its alerts and signals (#16); an alert also carries the incident key its root gives it
        for (String topic : List.of(Topics.ALERTS, Topics.SIGNALS)) {
            read(reader, topic, from, topics.alerts().valueSerde().deserializer(), err, (Alert a) -> {
                if (alertIds.contains(a.getAlertId()) || incidentId.equals(a.getIncidentId()) && !a.getFirstSeen().isBefore(from)) {
                    alerts.merge(a.getAlertId(), a, (old, next) -> next.getCount() >= old.getCount() ? next : old);
                }
            });
        }
        Map<String, ResponseAction> actions = new LinkedHashMap<>();
        read(reader, Topics.ACTIONS, from, topics.actions().valueSerde().deserializer(), err, (ResponseAction a) -> {
            if (incidentId.equals(a.getIncidentId())) {
                actions.put(a.getActionId(), a);
            }
        });
        Map<String, ApprovalRequest> requests = new LinkedHashMap<>();
        Map<String, ApprovalDecision> decisions = new LinkedHashMap<>();
        read(reader, Topics.APPROVALS, from, topics.approvals().valueSerde().deserializer(), err, (ApprovalMessage m) -> {
            if (m.getBody() instanceof ApprovalRequest r && incidentId.equals(r.getIncidentId())) {
                requests.put(r.getRequestId(), r);
            } else if (m.getBody() instanceof ApprovalDecision d) {
                decisions.put(d.getRequestId(), d);
            }
        });
        decisions.keySet().retainAll(requests.keySet());
        List<JsonNode> findings = findings(reader, incident, from);
        List<Alert> sortedAlerts = new ArrayList<>(alerts.values());
        sortedAlerts.sort(Comparator.comparing(Alert::getFirstSeen));
        List<ResponseAction> sortedActions = new ArrayList<>(actions.values());
        sortedActions.sort(Comparator.comparing(ResponseAction::getTime));
        return new ReportData(incident, sortedAlerts, sortedActions, List.copyOf(requests.values()), decisions, findings);
    }

    private static Incident latestIncident(ReplayReader reader, Topics topics, String incidentId, PrintWriter err) {
        Incident[] latest = new Incident[1];
        read(reader, Topics.INCIDENTS, null, topics.incidents().valueSerde().deserializer(), err, (Incident i) -> {
            if (incidentId.equals(i.getIncidentId())) {
                latest[0] = i;
            }
        });
        return latest[0];
    }

    private static List<JsonNode> findings(ReplayReader reader, Incident incident, Instant from) {
        Set<String> wanted = new HashSet<>(incident.getFindingIds());
        Map<String, JsonNode> found = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return List.of();
        }
        reader.readToEnd(Topics.GUARDDUTY_RAW, from, record -> {
            try {
                JsonNode finding = record.value() == null ? null : MAPPER.readTree(record.value());
                if (finding != null && wanted.contains(finding.path("id").asText(""))) {
                    found.put(finding.path("id").asText(), finding);
                }
            } catch (IOException e) {
                // a raw record that is not JSON is the connector's dead-letter business, not the report's
            }
        });
        return List.copyOf(found.values());
    }

    @SuppressWarnings("unchecked")
    private static <V> void read(ReplayReader reader, String topic, Instant from, Deserializer<?> values, PrintWriter err,
                                 Consumer<V> sink) {
        reader.readToEnd(topic, from, (ConsumerRecord<byte[], byte[]> record) -> {
            if (record.value() == null) {
                return;
            }
            try {
                sink.accept((V) values.deserialize(record.topic(), record.headers(), record.value()));
            } catch (SerializationException e) {
                err.printf("skipped %s-%d@%d: %s%n", record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        });
    }

    /** Incident timeline entries, alerts and response actions in time order, each once. */
    List<Entry> timeline() {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (TimelineEntry e : incident.getTimeline()) {
            entries.add(new Entry(e.getTime(), e.getKind().name(), e.getReferenceId(), e.getSummary()));
            seen.add(e.getKind() + "/" + e.getReferenceId());
        }
        for (Alert a : alerts) {
            if (!seen.contains(TimelineEntryKind.ALERT + "/" + a.getAlertId())) {
                entries.add(new Entry(a.getFirstSeen(), "ALERT", a.getAlertId(),
                    ReportText.severity(a.getSeverity()) + " " + a.getRuleId() + " " + a.getTitle()));
            }
        }
        for (AlertRef ref : incident.getAlerts()) {
            if (alerts.stream().noneMatch(a -> a.getAlertId().equals(ref.getAlertId()))
                && !seen.contains(TimelineEntryKind.ALERT + "/" + ref.getAlertId())) {
                entries.add(new Entry(ref.getTime(), "ALERT", ref.getAlertId(),
                    ReportText.severity(ref.getSeverity()) + " " + ref.getRuleId() + " " + ref.getTitle()));
            }
        }
        for (ResponseAction a : actions) {
            if (!seen.contains(TimelineEntryKind.ACTION + "/" + a.getActionId())) {
                entries.add(new Entry(a.getTime(), "ACTION", a.getActionId(),
                    a.getAwsAction() + " " + a.getResource() + ": " + a.getStatus()));
            }
        }
        entries.sort(Comparator.comparing(Entry::time));
        return entries;
    }

    /** Actions in a final state (done, refused or failed). */
    List<ResponseAction> taken() {
        return actions.stream().filter(a -> !pending(a.getStatus())).toList();
    }

    /** Actions still to happen: planned, awaiting approval, approved but not yet executed. */
    List<ResponseAction> pendingActions() {
        return actions.stream().filter(a -> pending(a.getStatus())).toList();
    }

    private static boolean pending(ActionStatus s) {
        return s == ActionStatus.PLANNED || s == ActionStatus.AWAITING_APPROVAL || s == ActionStatus.APPROVED;
    }

    /** Where evidence was (or will be) stored: S3 objects and EBS snapshots named by the response actions. */
    Set<String> evidenceLocations() {
        Set<String> locations = new TreeSet<>();
        for (ResponseAction a : actions) {
            for (String text : new String[] {a.getDetails(), a.getResource()}) {
                if (text == null) {
                    continue;
                }
                Matcher s3 = S3_URI.matcher(text);
                while (s3.find()) {
                    locations.add(s3.group());
                }
                Matcher snap = SNAPSHOT.matcher(text);
                while (snap.find()) {
                    locations.add(snap.group());
                }
            }
        }
        locations.addAll(incident.getEntities().getSnapshotIds());
        return locations;
    }

    /** Access key ids seen in the incident, for the replay command that fetches the raw records. */
    Set<String> accessKeyIds() {
        Set<String> keys = new LinkedHashSet<>(incident.getEntities().getAccessKeyIds());
        incident.getChain().forEach(link -> {
            if (link.getAccessKeyId() != null) {
                keys.add(link.getAccessKeyId());
            }
        });
        return keys;
    }

    /** GuardDuty finding types the alerts name, by finding id (for findings whose raw record was not found). */
    Map<String, String> findingTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (Alert a : alerts) {
            for (int i = 0; i < a.getFindingIds().size(); i++) {
                types.putIfAbsent(a.getFindingIds().get(i), i < a.getFindingTypes().size() ? a.getFindingTypes().get(i) : "");
            }
        }
        incident.getFindingIds().forEach(id -> types.putIfAbsent(id, ""));
        return types;
    }
}
