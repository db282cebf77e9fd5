package io.trailhound.respond.incident;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;

/**
 * The responder's per-incident state, fed by every alert it reads (and, live, by the incident records of
 * {@code trailhound.incidents}, which carry the whole incident: after a restart the next record of an incident brings its
 * severity and chain back). Bounded: the last {@link #MAX_INCIDENTS} incidents.
 */
public final class IncidentStates {

    /** Incidents remembered. */
    public static final int MAX_INCIDENTS = 10_000;

    private final Map<String, IncidentState> states = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IncidentState> eldest) {
            return size() > MAX_INCIDENTS;
        }
    };

    /** Adds {@code alert}'s severity and chain to its incident; returns the incident's state, or empty for an alert of none. */
    public synchronized Optional<IncidentState> observe(Alert alert) {
        if (alert.getIncidentId() == null) {
            return Optional.empty();
        }
        return Optional.of(merge(alert.getIncidentId(), alert.getSeverity(), alert.getChain(), alert.getEntities().getOther()));
    }

    /** Adds an incident record's severity and chain; returns the incident's state. */
    public synchronized IncidentState observe(Incident incident) {
        return merge(incident.getIncidentId(), incident.getSeverity(), incident.getChain(), incident.getEntities().getOther());
    }

    /** The state of {@code incidentId}, if known. */
    public synchronized Optional<IncidentState> get(String incidentId) {
        return Optional.ofNullable(states.get(incidentId));
    }

    private IncidentState merge(String incidentId, Severity severity, List<ChainLink> chain, Map<String, List<String>> other) {
        IncidentState known = states.get(incidentId);
        Map<String, List<String>> served = IncidentState.served(other);
        IncidentState next = known == null ? new IncidentState(incidentId, severity, chain, served)
            : known.merge(severity, chain, served);
        states.put(incidentId, next);
        return next;
    }
}
