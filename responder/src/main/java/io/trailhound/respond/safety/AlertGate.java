package io.trailhound.respond.safety;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Severity;

/**
 * Refuses alerts the responder must never act on: replays, alerts below the severity floor (a runbook a low-severity rule
 * recommends, e.g. for any SSM session, is advice to the analyst, not a reason to isolate an instance), and alerts whose events
 * are older than the staleness bound.
 */
public final class AlertGate {

    private final Duration maxAge;
    private final Severity minSeverity;

    /** A gate with the default severity floor, {@link Severity#MEDIUM}. */
    public AlertGate(Duration maxAge) {
        this(maxAge, Severity.MEDIUM);
    }

    /**
     * @param maxAge      how old an alert's latest event may be for the responder to act on it
     * @param minSeverity the lowest alert severity the responder acts on
     */
    public AlertGate(Duration maxAge, Severity minSeverity) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("staleness bound must be positive, was " + maxAge);
        }
        this.maxAge = maxAge;
        this.minSeverity = minSeverity;
    }

    /** Why the responder must not act on {@code alert} at {@code now}, or empty when it may. */
    public Optional<String> refusal(Alert alert, Instant now) {
        if (alert.getMode() != Mode.LIVE) {
            return Optional.of("alert mode is " + alert.getMode() + ": replayed alerts are never acted on");
        }
        if (alert.getSeverity().compareTo(minSeverity) < 0) {
            return Optional.of("alert severity " + alert.getSeverity() + " is below the responder's floor " + minSeverity
                + ": its runbook is a recommendation, not acted on");
        }
        long eventTime = Math.max(alert.getLastSeen().toEpochMilli(), alert.getDetectedAt().toEpochMilli());
        if (eventTime <= 0) {
            return Optional.of("alert carries no event time (lastSeen/detectedAt), so its age is unknown");
        }
        Duration age = Duration.between(Instant.ofEpochMilli(eventTime), now);
        if (age.compareTo(maxAge) > 0) {
            return Optional.of("alert is stale: its latest event is " + age.toSeconds() + " s old, bound " + maxAge.toSeconds() + " s");
        }
        return Optional.empty();
    }
}
