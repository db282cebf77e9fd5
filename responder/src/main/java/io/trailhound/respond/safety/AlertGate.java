package io.trailhound.respond.safety;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;

/** Refuses alerts the responder must never act on: replays, and alerts whose events are older than the staleness bound. */
public final class AlertGate {

    private final Duration maxAge;

    /** @param maxAge how old an alert's latest event may be for the responder to act on it */
    public AlertGate(Duration maxAge) {
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("staleness bound must be positive, was " + maxAge);
        }
        this.maxAge = maxAge;
    }

    /** Why the responder must not act on {@code alert} at {@code now}, or empty when it may. */
    public Optional<String> refusal(Alert alert, Instant now) {
        if (alert.getMode() != Mode.LIVE) {
            return Optional.of("alert mode is " + alert.getMode() + ": replayed alerts are never acted on");
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
