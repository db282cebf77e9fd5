package io.trailhound.respond.safety;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.trailhound.avro.Alert;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;

/**
 * Anomaly alone never contains: decides whether an alert's evidence is strong enough for automatic containment. Baseline
 * novelty (a first role, a new network) is what a healthy organization shows every day when people change teams or an Auto
 * Scaling group replaces instances; acting on it alone would take production down. Automatic containment needs
 * corroboration: a signature, sequence or rate rule, a GuardDuty finding, or at least two different rules at MEDIUM or above
 * in the alert's incident raised by different events (two rules on one event, such as "first role" and "first account" on
 * one AssumeRole, are one behaviour seen twice). Everything else waits for a human's approval.
 *
 * <p>The rules seen per incident are remembered for the last {@link #MAX_INCIDENTS} incidents, in memory: after a restart an
 * incident's earlier alerts are not known, which can only send a step to approval, never skip one.
 */
public final class ContainmentEvidence {

    /** When containment may run without approval ({@code responder.containment.automatic}). */
    public enum Policy {
        /** Only on corroborated evidence (the default). */
        CORROBORATED,
        /** On any alert at or above the severity floor (the behaviour before issue #13). */
        ALWAYS,
        /** Never: every containment step waits for approval. */
        NEVER;

        /** The policy named {@code name} in configuration ({@code corroborated}, {@code always}, {@code never}). */
        public static Policy of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Incidents whose rules are remembered. */
    public static final int MAX_INCIDENTS = 10_000;

    private final Policy policy;
    /** Per incident: the triggering event ids of each rule at MEDIUM or above. */
    private final Map<String, Map<String, Set<String>>> rulesByIncident = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Set<String>>> eldest) {
            return size() > MAX_INCIDENTS;
        }
    };

    public ContainmentEvidence(Policy policy) {
        this.policy = policy;
    }

    /** Remembers {@code alert}'s rule in its incident (only alerts at MEDIUM or above count as behaviours). */
    public synchronized void observe(Alert alert) {
        if (alert.getIncidentId() != null && alert.getSeverity().compareTo(Severity.MEDIUM) >= 0) {
            rulesByIncident.computeIfAbsent(alert.getIncidentId(), id -> new HashMap<>())
                    .computeIfAbsent(alert.getRuleId(), r -> new HashSet<>()).addAll(alert.getEventIds());
        }
    }

    /** Why containment for {@code alert} must wait for approval, or null when it may run automatically. */
    public synchronized String approvalReason(Alert alert) {
        return switch (policy) {
            case ALWAYS -> null;
            case NEVER -> "automatic containment is off (responder.containment.automatic=never)";
            case CORROBORATED -> corroborated(alert) ? null : "uncorroborated anomaly: " + alert.getRuleId()
                    + " is baseline novelty only; automatic containment needs a signature rule, a GuardDuty finding or two "
                    + "different rules at MEDIUM or above in the incident, raised by different events";
        };
    }

    private boolean corroborated(Alert alert) {
        if (!isAnomalyOnly(alert)) {
            return true;
        }
        Map<String, Set<String>> rules = alert.getIncidentId() == null ? null : rulesByIncident.get(alert.getIncidentId());
        if (rules == null) {
            return false;
        }
        // another rule whose events are not this alert's: a second, independent behaviour
        for (Map.Entry<String, Set<String>> other : rules.entrySet()) {
            if (!other.getKey().equals(alert.getRuleId()) && other.getValue().stream().noneMatch(alert.getEventIds()::contains)) {
                return true;
            }
        }
        return false;
    }

    /** True when an alert's only evidence is baseline novelty (no finding, no signature). */
    public static boolean isAnomalyOnly(Alert alert) {
        return alert.getRuleKind() == RuleKind.BASELINE && alert.getFindingIds().isEmpty();
    }
}
