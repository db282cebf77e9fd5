package io.trailhound.detect.rules;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.detect.baseline.BaselineDimension;

/**
 * One detection rule as its catalog entry describes it.
 *
 * @param id            stable id, e.g. TH-CT-001
 * @param title         one line for analysts
 * @param description   what happened and why it matters
 * @param severity      alert severity
 * @param kind          SIGNATURE (one event), RATE (a burst of matching events per principal), BASELINE (a value new to
 *                      the principal after its learning period) or SEQUENCE (ordered steps by one principal in a window)
 * @param tactic        MITRE ATT&amp;CK tactic, e.g. "Defense Evasion (TA0005)"
 * @param techniqueId   MITRE ATT&amp;CK technique id
 * @param techniqueName MITRE ATT&amp;CK technique name
 * @param runbook       recommended runbook id, or null
 * @param eventNames    event names the rule can match (an index key); empty when any event can match
 * @param match         the condition an event must satisfy
 * @param rate          the burst threshold of a RATE rule, or null
 * @param entityPaths   paths of the entity repeats are suppressed on (e.g. the target user); empty uses the event's targets
 * @param baseline      the dimension a BASELINE rule watches for values new to the principal, or null
 * @param sequence      the ordered steps of a SEQUENCE rule, or null
 * @param downgrade     when the evidence is weak: the lower severity and the condition that keeps {@code severity}, or null
 * @param followUp      for a rule whose hit is an alert only when nothing repairs it in time (an MFA device removed and not
 *                      replaced, #18): the repairing event and the key both events share; null for every other rule
 */
public record Rule(String id, String title, String description, Severity severity, RuleKind kind, String tactic,
                   String techniqueId, String techniqueName, String runbook, Set<String> eventNames, Condition match,
                   Rate rate, List<String> entityPaths, BaselineDimension baseline, Sequence sequence,
                   Downgrade downgrade, FollowUp followUp) {

    /** Compact validation: ids and titles are required; RATE rules need a rate. */
    public Rule {
        if (id == null || id.isBlank() || title == null || title.isBlank()) {
            throw new IllegalArgumentException("a rule needs an id and a title");
        }
        if ((kind == RuleKind.RATE) != (rate != null)) {
            throw new IllegalArgumentException("rule " + id + ": a rate belongs to RATE rules and every RATE rule needs one");
        }
        if ((kind == RuleKind.BASELINE) != (baseline != null)) {
            throw new IllegalArgumentException("rule " + id + ": a baseline dimension belongs to BASELINE rules and every one needs it");
        }
        if ((kind == RuleKind.SEQUENCE) != (sequence != null)) {
            throw new IllegalArgumentException("rule " + id + ": steps belong to SEQUENCE rules and every one needs them");
        }
        if (followUp != null && kind != RuleKind.SIGNATURE) {
            throw new IllegalArgumentException("rule " + id + ": only a SIGNATURE rule can wait for a follow-up");
        }
        eventNames = Set.copyOf(eventNames);
        entityPaths = List.copyOf(entityPaths);
    }

    /**
     * Severity from evidence: the rule's hit is raised at {@code to} (a signal) unless the event also satisfies {@code unless}
     * (corroborating evidence such as a new network or client, or an account outside the organization).
     */
    public record Downgrade(Severity to, Condition unless) {
        /** Validates the parts. */
        public Downgrade {
            if (to == null || unless == null) {
                throw new IllegalArgumentException("a downgrade needs a severity and an 'unless' condition");
            }
        }
    }

    /** The severity of this rule's hit on {@code view}: the rule's, or the downgrade's when nothing corroborates it. */
    public Severity severityFor(EventView view) {
        return downgrade == null || downgrade.unless().test(view) ? severity : downgrade.to();
    }

    /** A SEQUENCE rule's ordered steps, all by one principal within {@code window} of the first. */
    public record Sequence(List<Condition> steps, Duration window) {
        /** Validates the steps. */
        public Sequence {
            if (steps.size() < 2 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a sequence needs at least 2 steps and a positive window");
            }
            steps = List.copyOf(steps);
        }
    }

    /**
     * A RATE rule's threshold: at least {@code count} matching events of one principal within {@code window}; with a
     * {@code distinct} path, {@code count} different values at that path (twenty reads of one secret are a service at work,
     * twenty secrets read are a harvest).
     */
    public record Rate(int count, Duration window, String distinct) {
        /** A threshold on events, not on distinct values. */
        public Rate(int count, Duration window) {
            this(count, window, null);
        }

        /** Validates the threshold. */
        public Rate {
            if (count < 2 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a rate needs a count of at least 2 and a positive window");
            }
        }
    }

    /**
     * What cancels a rule's hit when it comes soon enough (the window is the stream processor's
     * {@code trailhound.followup.window.ms}): an event matching {@code match} with the same key. The key is the account plus
     * the last path segment of the first of {@code keyPaths} an event has (a user name; for a device or other ARN, its name),
     * so the hit and its follow-up meet whoever of the two principals (the actor, the user acted on) made them.
     */
    public record FollowUp(Condition match, List<String> keyPaths) {
        /** Validates the parts. */
        public FollowUp {
            if (match == null || keyPaths == null || keyPaths.isEmpty()) {
                throw new IllegalArgumentException("a follow-up needs a match and at least one key path");
            }
            keyPaths = List.copyOf(keyPaths);
        }

        /** The key {@code view} has for this follow-up: account and name, or null when the event names neither. */
        public String keyOf(EventView view) {
            String account = view.event().getRecipientAccountId() != null ? view.event().getRecipientAccountId()
                    : view.event().getPrincipal().getAccountId();
            for (String path : keyPaths) {
                String v = view.text(path);
                if (v != null && !v.isBlank()) {
                    return (account == null ? "" : account) + "|" + v.substring(v.lastIndexOf('/') + 1);
                }
            }
            return null;
        }
    }
}
