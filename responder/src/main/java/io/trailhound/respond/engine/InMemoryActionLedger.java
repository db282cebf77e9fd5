package io.trailhound.respond.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;

/** A ledger held in memory: for tests and one-shot runs, and as the state the Kafka ledger rebuilds on start. */
public final class InMemoryActionLedger implements ActionLedger {

    private final Map<String, ResponseAction> latest = new ConcurrentHashMap<>();
    private final List<ResponseAction> history = new ArrayList<>();

    @Override
    public Optional<ResponseAction> latest(String actionId) {
        return Optional.ofNullable(latest.get(actionId));
    }

    @Override
    public synchronized void record(ResponseAction action) {
        latest.put(action.getActionId(), action);
        history.add(action);
    }

    @Override
    public Set<String> incidentsOfAlerts(Set<String> alertIds) {
        return latest.values().stream().filter(a -> a.getAlertId() != null && alertIds.contains(a.getAlertId()))
            .map(ResponseAction::getIncidentId).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    @Override
    public long count(ActionStatus status) {
        return latest.values().stream().filter(action -> action.getStatus() == status).count();
    }

    @Override
    public List<ResponseAction> incident(String incidentId) {
        return latest.values().stream().filter(action -> incidentId.equals(action.getIncidentId())).toList();
    }

    /** Every record, in the order recorded. */
    public synchronized List<ResponseAction> history() {
        return List.copyOf(history);
    }
}
