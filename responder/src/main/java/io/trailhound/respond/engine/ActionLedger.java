package io.trailhound.respond.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;

/**
 * The record of every response action by idempotency key: what the responder planned, awaits, did, skipped or failed.
 * The latest record per action id is the action's state; an action in a final state is never done again.
 */
public interface ActionLedger {

    /** The latest record of {@code actionId}. */
    Optional<ResponseAction> latest(String actionId);

    /** Appends {@code action} as the latest state of its action id (durably, before returning). */
    void record(ResponseAction action);

    /**
     * Writes what {@link #record} applied but could not write (Kafka was unavailable), before anything else is committed;
     * throws a {@code KafkaException} while it still cannot.
     */
    default void flush() {
    }

    /** The latest record of every action of {@code incidentId}; empty when this ledger cannot tell. */
    default List<ResponseAction> incident(String incidentId) {
        return List.of();
    }

    /**
     * The incident ids under which actions about any of {@code alertIds} were recorded (#16: an alert carries the incident key
     * of its root identity, which can differ from the id of the incident that lists it); empty when this ledger cannot tell.
     */
    default Set<String> incidentsOfAlerts(Set<String> alertIds) {
        return Set.of();
    }

    /** How many actions are in {@code status} now (their latest record). */
    long count(ActionStatus status);

    /** Whether {@code status} ends an action: it is never attempted again. */
    static boolean isFinal(ActionStatus status) {
        return switch (status) {
            case EXECUTED, SKIPPED, FAILED, REJECTED, DRY_RUN -> true;
            default -> false;
        };
    }
}
