package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
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
 * Groups alerts into incidents and stamps each alert with its incident id. An alert joins the open incident (last activity
 * within the inactivity gap) that shares its root identity (first link of its credential chain, else its principal), one of
 * its access keys or instances, or a user it acts as that an earlier alert of the incident created or touched; otherwise it
 * opens a new incident whose id derives from the alert's id, so a replay gives the same ids. A re-emitted alert (suppressed
 * repeat, GuardDuty finding update) updates its incident in place. Forwards the stamped {@link Alert} (key: alert id) and the
 * incident's new state (key: incident id), once the incident holds an alert above INFORMATIONAL: informational alerts (a
 * console sign-in, a secret read) are context — they carry the id of the group they would belong to, and appear in its
 * timeline if a real alert joins it within the gap — and alone publish no incident.
 */
final class IncidentProcessor implements Processor<String, Alert, String, SpecificRecord> {

    static final String STORE = "incident-store";
    static final String INDEX_STORE = "incident-index-store";
    /** Header carrying the append time (ms) of the raw record behind an alert, for the detection-latency timer. */
    static final String APPEND_TIME_HEADER = "trailhound.append.ms";

    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final Duration gap;
    private final Duration retention;
    private final Mode mode;
    private final DetectionMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Incident> incidents;
    private KeyValueStore<String, String> index;
    private CredentialLineage lineage;

    IncidentProcessor(StreamProcessorConfig config, DetectionMetrics metrics) {
        this.gap = config.incidentGap();
        // a suppressed repeat can arrive up to a suppression window after the alert's last activity
        this.retention = gap.plus(config.suppressionWindow());
        this.mode = config.mode();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.incidents = context.getStateStore(STORE);
        this.index = context.getStateStore(INDEX_STORE);
        this.lineage = new CredentialLineage(context.getStateStore(DetectionTopology.LINEAGE_STORE));
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Alert> record) {
        Alert alert = withLineage(record.value());
        Incident incident = find(alert);
        String incidentId = incident != null ? incident.getIncidentId() : newIncidentId(alert);
        Alert stamped = Alert.newBuilder(alert).setIncidentId(incidentId).build();
        Incident updated = IncidentBuilder.merge(incident, incidentId, stamped, mode);
        incidents.put(incidentId, updated);
        index.put("a:" + alert.getAlertId(), incidentId);
        for (String key : indexKeys(stamped)) {
            index.put(key, incidentId);
        }
        metrics.alert(stamped);
        Header append = record.headers().lastHeader(APPEND_TIME_HEADER);
        if (append != null && mode == Mode.LIVE) {
            metrics.detectionLatency(System.currentTimeMillis() - Long.parseLong(new String(append.value(), StandardCharsets.UTF_8)));
        }
        context.forward(new Record<String, SpecificRecord>(stamped.getAlertId(), stamped, record.timestamp()));
        if (updated.getSeverity() != Severity.INFORMATIONAL) {
            context.forward(new Record<String, SpecificRecord>(incidentId, updated, record.timestamp()));
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
        String own = index.get("a:" + alert.getAlertId());
        Incident incident = own == null ? null : incidents.get(own);
        if (incident != null) {
            return incident;
        }
        List<Incident> candidates = new ArrayList<>();
        for (String key : lookupKeys(alert)) {
            String id = index.get(key);
            Incident candidate = id == null ? null : incidents.get(id);
            if (candidate != null && open(candidate, alert)) {
                candidates.add(candidate);
            }
        }
        return candidates.stream().min(Comparator.comparing(Incident::getStartedAt).thenComparing(Incident::getIncidentId))
                .orElse(null);
    }

    private boolean open(Incident incident, Alert alert) {
        return !alert.getFirstSeen().isAfter(incident.getLastActivityAt().plus(gap))
                && !alert.getLastSeen().isBefore(incident.getStartedAt().minus(gap));
    }

    private static String newIncidentId(Alert alert) {
        return UUID.nameUUIDFromBytes(("incident|" + alert.getAlertId()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The root identity of the alert's chain: its first link when the chain has more than the caller, else the principal. */
    static String rootKey(Alert alert) {
        List<ChainLink> chain = alert.getChain();
        if (chain.size() > 1) {
            ChainLink root = chain.get(0);
            return (root.getAccountId() == null ? "" : root.getAccountId()) + "/" + root.getPrincipalArn();
        }
        return alert.getPrincipal() == null || alert.getPrincipal().getPrincipalKey().isEmpty() ? null
                : alert.getPrincipal().getPrincipalKey();
    }

    /** Keys under which an alert looks for an open incident. */
    private static Set<String> lookupKeys(Alert alert) {
        Set<String> keys = new LinkedHashSet<>();
        String root = rootKey(alert);
        if (root != null) {
            keys.add("p:" + root);
        }
        alert.getEntities().getAccessKeyIds().forEach(k -> keys.add("k:" + k));
        alert.getEntities().getInstanceIds().forEach(i -> keys.add("i:" + i));
        if (alert.getPrincipal() != null && alert.getPrincipal().getType() == PrincipalType.IAMUser
                && alert.getPrincipal().getUserName() != null) {
            keys.add("u:" + alert.getPrincipal().getAccountId() + "/" + alert.getPrincipal().getUserName());
        }
        String identityCenterUser = identityCenterUser(alert);
        if (identityCenterUser != null) {
            keys.add("ic:" + identityCenterUser);
        }
        return keys;
    }

    /**
     * The Identity Center user behind the alert (#18): the portal user itself, or the subject at the root of a chain that
     * Identity Center's SAML provider ({@code saml-provider/AWSSSO_...}) started, whose NameID is that user's id; so the portal
     * sign-in and what the permission-set session did next are one incident.
     */
    static String identityCenterUser(Alert alert) {
        if (alert.getPrincipal() != null && alert.getPrincipal().getType() == PrincipalType.IdentityCenterUser) {
            return alert.getPrincipal().getUserName();
        }
        if (alert.getChain().isEmpty()) {
            return null;
        }
        String root = alert.getChain().get(0).getPrincipalArn();
        if (!root.contains(":saml-provider/AWSSSO_")) {
            return null;
        }
        String[] parts = root.split(":", 7);
        return parts.length == 7 ? parts[6] : null;
    }

    /** Keys under which an incident is found by later alerts: the root identity, keys, instances and users its alerts name. */
    private static Set<String> indexKeys(Alert alert) {
        Set<String> keys = lookupKeys(alert);
        alert.getEntities().getUserNames().forEach(u -> keys.add("u:" + alert.getAccountId() + "/" + u));
        return keys;
    }

    private void purge(long streamTime) {
        List<String> expired = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        try (KeyValueIterator<String, Incident> it = incidents.all()) {
            while (it.hasNext()) {
                KeyValue<String, Incident> kv = it.next();
                if (streamTime - kv.value.getLastActivityAt().toEpochMilli() > retention.toMillis()) {
                    expired.add(kv.key);
                } else {
                    kept.add(kv.key);
                }
            }
        }
        expired.forEach(incidents::delete);
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
