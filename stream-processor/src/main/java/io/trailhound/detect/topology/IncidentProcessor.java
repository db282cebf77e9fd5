package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Mode;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.detect.lineage.CredentialLineage;

/**
 * The incident stage (#16), off the alerts' path: groups the alerts and signals of every principal task into incidents. An
 * alert joins the open incident (last activity within the inactivity gap) that shares its root identity (first link of its
 * credential chain, else its principal), one of its access keys or instances, a user it acts as that an earlier alert of
 * the incident created or touched, or its incident key; otherwise it opens a new incident under its incident key (the key
 * {@link AlertRouter} stamped, so the incident's id is what its alerts carry, and a replay gives the same ids). A re-emitted
 * alert (suppressed repeat, GuardDuty finding update) updates its incident in place. Forwards the incident's new state (key:
 * incident id, its alerts listed with their ids), once the incident holds an alert above INFORMATIONAL: informational
 * alerts (a console sign-in, a secret read) are context — they appear in the timeline of an incident a real alert opens
 * within the gap — and alone publish no incident. The alerts themselves were written by their principal's task already.
 */
final class IncidentProcessor implements Processor<String, Alert, String, Incident> {

    static final String STORE = "incident-store";
    static final String INDEX_STORE = "incident-index-store";
    /** Header carrying the append time (ms) of the raw record behind an alert, for the detection-latency timer. */
    static final String APPEND_TIME_HEADER = "trailhound.append.ms";

    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    private static final String RENAMED = "r:";

    private final Duration gap;
    private final Duration retention;
    private final Mode mode;
    private ProcessorContext<String, Incident> context;
    private KeyValueStore<String, Incident> incidents;
    private KeyValueStore<String, String> index;
    private CredentialLineage lineage;
    /**
     * The last activity of every incident in the store, by id: read from the store at the first purge, then kept as the store
     * is written, so a purge decodes no incident. Null until then; made anew by {@link #init}, so a task re-initialized after
     * its stores were restored or rolled back reads the store again.
     */
    private Map<String, Long> lastActivity;

    IncidentProcessor(StreamProcessorConfig config) {
        this.gap = config.incidentGap();
        // a suppressed repeat can arrive up to a suppression window after the alert's last activity
        this.retention = gap.plus(config.suppressionWindow());
        this.mode = config.mode();
    }

    @Override
    public void init(ProcessorContext<String, Incident> context) {
        this.context = context;
        this.incidents = context.getStateStore(STORE);
        this.index = context.getStateStore(INDEX_STORE);
        this.lineage = new CredentialLineage(context.getStateStore(DetectionTopology.LINEAGE_STORE));
        this.lastActivity = null;
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = withLineage(record.value());
        Incident incident = renamedIfUnpublished(find(alert), alert);
        String incidentId = incident != null ? incident.getIncidentId() : newIncidentId(alert);
        Alert stamped = Alert.newBuilder(alert).setIncidentId(incidentId).build();
        Incident updated = IncidentBuilder.merge(incident, incidentId, stamped, mode);
        store(incidentId, updated);
        index.put("a:" + alert.getAlertId(), incidentId);
        for (String key : indexKeys(stamped)) {
            index.put(key, incidentId);
        }
        if (updated.getSeverity() != Severity.INFORMATIONAL) {
            context.forward(new Record<>(incidentId, updated, record.timestamp()));
        }
    }

    /**
     * The alert with its chain completed when the detect step did not know all of it yet: AssumeRole and the first use of the
     * new key in one batch (a CloudTrail log file), processed by two tasks, raise the alert before the lineage topic round
     * trip brings the key's chain to the shared store; one transaction later, here, it is usually there. Without this the
     * alert would miss its root identity and open an incident of its own.
     */
    private Alert withLineage(Alert alert) {
        if (alert.getChain().isEmpty()) {
            return alert;
        }
        List<ChainLink> chain = lineage.complete(alert.getChain(), alert.getFirstSeen());
        if (chain.size() == 1 && alert.getPrincipal() != null) {
            // a console or federated sign-in session chained by its session ARN (#18), on the same round trip
            List<ChainLink> session = lineage.sessionChain(alert.getPrincipal(), alert.getFirstSeen());
            chain = session != null ? session : chain;
        }
        return chain.size() > alert.getChain().size() ? Alert.newBuilder(alert).setChain(new ArrayList<>(chain)).build() : alert;
    }

    /** The incident the alert belongs to: its own (a repeat), else the oldest open incident sharing a key, else null. */
    private Incident find(Alert alert) {
        Incident incident = resolve(index.get("a:" + alert.getAlertId()));
        if (incident != null) {
            return incident;
        }
        List<Incident> candidates = new ArrayList<>();
        Incident keyed = alert.getIncidentId() == null ? null : incidents.get(alert.getIncidentId());
        if (keyed != null && open(keyed, alert)) {
            candidates.add(keyed);
        }
        for (String key : lookupKeys(alert)) {
            Incident candidate = resolve(index.get(key));
            if (candidate != null && open(candidate, alert)) {
                candidates.add(candidate);
            }
        }
        return candidates.stream().min(Comparator.comparing(Incident::getStartedAt).thenComparing(Incident::getIncidentId))
                .orElse(null);
    }

    /** The incident with id {@code id}, or the one it was renamed to, or null. */
    private Incident resolve(String id) {
        if (id == null) {
            return null;
        }
        Incident incident = incidents.get(id);
        if (incident != null) {
            return incident;
        }
        String renamed = index.get(RENAMED + id);
        return renamed == null ? null : incidents.get(renamed);
    }

    /**
     * An incident is published under the incident key of its first alert above INFORMATIONAL (the key that alert and the
     * later alerts of its root carry to the responder): one opened by context alone (a sign-in under another key the day
     * before) and never published takes that key as its id when such an alert joins it; its old id resolves to the new one.
     */
    private Incident renamedIfUnpublished(Incident incident, Alert alert) {
        String key = alert.getIncidentId();
        if (incident == null || incident.getSeverity() != Severity.INFORMATIONAL || alert.getSeverity() == Severity.INFORMATIONAL
                || key == null || key.isBlank() || key.equals(incident.getIncidentId()) || incidents.get(key) != null) {
            return incident;
        }
        remove(incident.getIncidentId());
        index.put(RENAMED + incident.getIncidentId(), key);
        return Incident.newBuilder(incident).setIncidentId(key).build();
    }

    private boolean open(Incident incident, Alert alert) {
        return !alert.getFirstSeen().isAfter(incident.getLastActivityAt().plus(gap))
                && !alert.getLastSeen().isBefore(incident.getStartedAt().minus(gap));
    }

    /**
     * The id of a new incident: the alert's incident key, unless a closed incident already has it (alerts of the same root on
     * the same day after an inactivity gap shorter than a day), then one derived from the alert's id.
     */
    private String newIncidentId(Alert alert) {
        String key = alert.getIncidentId();
        if (key != null && !key.isBlank() && incidents.get(key) == null) {
            return key;
        }
        return UUID.nameUUIDFromBytes(("incident|" + alert.getAlertId()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Keys under which an alert looks for an open incident. */
    private static Set<String> lookupKeys(Alert alert) {
        Set<String> keys = new LinkedHashSet<>();
        String root = IncidentKeys.rootKey(alert);
        if (root != null) {
            keys.add("p:" + root);
        }
        alert.getEntities().getAccessKeyIds().forEach(k -> keys.add("k:" + k));
        alert.getEntities().getInstanceIds().forEach(i -> keys.add("i:" + i));
        if (alert.getPrincipal() != null && alert.getPrincipal().getType() == PrincipalType.IAMUser
                && alert.getPrincipal().getUserName() != null) {
            keys.add("u:" + alert.getPrincipal().getAccountId() + "/" + alert.getPrincipal().getUserName());
        }
        String identityCenterUser = IncidentKeys.identityCenterUser(alert);
        if (identityCenterUser != null) {
            keys.add("ic:" + identityCenterUser);
        }
        return keys;
    }

    /** Keys under which an incident is found by later alerts: the root identity, keys, instances and users its alerts name. */
    private static Set<String> indexKeys(Alert alert) {
        Set<String> keys = lookupKeys(alert);
        alert.getEntities().getUserNames().forEach(u -> keys.add("u:" + alert.getAccountId() + "/" + u));
        return keys;
    }

    private void store(String incidentId, Incident incident) {
        incidents.put(incidentId, incident);
        if (lastActivity != null) {
            lastActivity.put(incidentId, incident.getLastActivityAt().toEpochMilli());
        }
    }

    private void remove(String incidentId) {
        incidents.delete(incidentId);
        if (lastActivity != null) {
            lastActivity.remove(incidentId);
        }
    }

    /** See {@link #lastActivity}. */
    private Map<String, Long> lastActivity() {
        if (lastActivity == null) {
            Map<String, Long> read = new HashMap<>();
            try (KeyValueIterator<String, Incident> it = incidents.all()) {
                while (it.hasNext()) {
                    KeyValue<String, Incident> kv = it.next();
                    read.put(kv.key, kv.value.getLastActivityAt().toEpochMilli());
                }
            }
            lastActivity = read;
        }
        return lastActivity;
    }

    private void purge(long streamTime) {
        List<String> expired = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        lastActivity().forEach((id, last) -> {
            if (streamTime - last > retention.toMillis()) {
                expired.add(id);
            } else {
                kept.add(id);
            }
        });
        // in key order, as the store's iterator gave them
        expired.sort(Comparator.naturalOrder());
        expired.forEach(this::remove);
        List<String> stale = new ArrayList<>();
        // against the ids just read, not a store read (and an incident decoded) per index entry
        try (KeyValueIterator<String, String> it = index.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                if (!kept.contains(kv.value)) {
                    stale.add(kv.key);
                }
            }
        }
        stale.forEach(index::delete);
    }
}
