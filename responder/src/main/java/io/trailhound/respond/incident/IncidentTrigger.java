package io.trailhound.respond.incident;

import java.util.List;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.RuleKind;

/**
 * An incident record seen as the alert that triggers its chain-wide containment: the incident's severity, chain, first
 * account and region, times and mode, so the same gates (replay, staleness, protected principals, circuit breaker) apply.
 */
public final class IncidentTrigger {

    /** Rule id of the trigger, as audit records show it. */
    public static final String RULE_ID = "incident";

    private IncidentTrigger() {
    }

    /** The trigger alert of {@code incident}. */
    public static Alert of(Incident incident) {
        // an incident reaches the containment threshold through a signature, sequence or finding alert (baseline rules stop
        // at MEDIUM), so its evidence is corroborated
        return Alert.newBuilder().setAlertId("incident:" + incident.getIncidentId()).setDedupKey("incident|" + incident.getIncidentId())
            .setRuleId(RULE_ID).setRuleKind(RuleKind.CORRELATION).setTitle(incident.getTitle()).setSeverity(incident.getSeverity())
            .setPrincipal(incident.getPrincipal()).setChain(incident.getChain())
            .setAccountId(incident.getAccountIds().isEmpty() ? "" : incident.getAccountIds().get(0))
            .setRegion(incident.getRegions().isEmpty() ? "" : incident.getRegions().get(0))
            .setEntities(incident.getEntities()).setEventIds(List.of()).setFindingIds(incident.getFindingIds())
            .setIncidentId(incident.getIncidentId()).setCount(1).setFirstSeen(incident.getStartedAt())
            .setLastSeen(incident.getLastActivityAt()).setDetectedAt(incident.getLastActivityAt()).setMode(incident.getMode())
            .build();
    }
}
