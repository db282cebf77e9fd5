package io.trailhound.detect.scan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.topology.DetectionProcessors;

/**
 * The follow-up and incident stage of the scan (the live topology's one-partition {@code incident-in} stage), on one thread,
 * and the place where the pipelines' outputs meet again in the scan's order (#16 item 5): for each record, the alerts the
 * pipelines wrote and the records they sent to this stage are taken as one stream task would have made them, the alerts of a
 * raw record then the signals, as a scan reads the two topics after each record.
 *
 * <p>As one task runs it: the raw record is taken (stream time), the punctuators' records (ticks) are queued; then the
 * normalized record's outputs and the queued records are taken in timestamp order (the record's before the ticks on equal
 * times): each queued record goes through the follow-up processor (a released hit is stamped and written) and, when the
 * caller takes incidents, the incident processor. Every pipeline moves stream time on every record, so each sends the same
 * tick: one is kept. The alerts entering this stage and leaving it are read back from Avro, as the topics give them. Not
 * thread-safe.
 */
final class IncidentStage {

    private static final String TOPIC_PREFIX = "trailhound-scan-";

    private final ScanRuntime runtime = new ScanRuntime();
    private final OfflineScan.Output output;
    private final SharedStore.Progress progress;
    private final int index;
    private final SharedView<Object> lineage;
    private final Processor<String, Alert, String, Alert> followUps;
    private final Processor<String, Alert, String, Incident> incidents;
    private final Severity alertsFloor;
    private final boolean incidentsOn;
    private final ArrayDeque<Record<String, Alert>> incidentIn = new ArrayDeque<>();
    private final List<Alert> raisedAlerts = new ArrayList<>();
    private final List<Alert> raisedSignals = new ArrayList<>();
    private final List<Record<String, Alert>> stepTicks = new ArrayList<>();
    private final AvroCopy<Alert> alerts = new AvroCopy<>(Alert.class);
    private final AvroCopy<Incident> incidentCopy = new AvroCopy<>(Incident.class);
    private long incidentOffset;
    private long repartitionOffset;
    private int rejected;

    /** The stage after {@code pipelines} pipelines sharing {@code stores}. */
    IncidentStage(DetectionProcessors processors, OfflineScan.Output output, int pipelines, SharedStores stores) {
        this.output = output;
        this.progress = stores.progress();
        this.index = pipelines;
        DetectionProcessors.INCIDENT_STORES.forEach(runtime::addStore);
        this.lineage = stores.view(DetectionProcessors.LINEAGE_STORE, pipelines, false);
        runtime.addStore(lineage);
        this.followUps = processors.followUps();
        this.incidents = processors.incidents();
        this.alertsFloor = processors.alertsMinSeverity();
        this.incidentsOn = output.wantsIncidents();
        followUps.init(new ScanContext<>(runtime, this::followed));
        incidents.init(new ScanContext<>(runtime, r -> output.incident(incidentCopy.copy(r.value()))));
    }

    /**
     * Takes the {@code seq}th record of the scan's order, with what each pipeline's steps on it sent ({@code effects}, by
     * pipeline; null: nothing), and hands the alerts it raised to the output.
     */
    void accept(ScanRecord record, long seq, ScanEffects[] effects) {
        // every pipeline is done with this record: the lineage as it stands after it
        lineage.at(seq * 3 + 3);
        runtime.take(record.timestamp(), new ScanRuntime.Metadata(record.topic(), 0, record.offset()));
        Record<String, Normalized> normalized = ScanRecord.accepted(record);
        if (normalized == null) {
            rejected++;
        }
        take(0, effects);
        runtime.punctuate();
        boolean pending = normalized != null;
        while (pending || !incidentIn.isEmpty()) {
            if (pending && (incidentIn.isEmpty() || normalized.timestamp() <= incidentIn.peek().timestamp())) {
                pending = false;
                runtime.take(normalized.timestamp(), new ScanRuntime.Metadata(TOPIC_PREFIX + "repartition", 0, repartitionOffset++));
                take(1, effects);
                take(2, effects);
            } else {
                Record<String, Alert> r = incidentIn.poll();
                runtime.take(r.timestamp(), new ScanRuntime.Metadata(TOPIC_PREFIX + "incident-in-repartition", 0, incidentOffset++));
                runtime.guard("follow-ups", () -> followUps.process(r));
            }
            runtime.punctuate();
        }
        flushRaised();
        progress.set(index, seq * 3 + 2);
    }

    /** The pipelines' outputs of {@code step}: alerts written, records queued; a record without value sent by several once. */
    private void take(int step, ScanEffects[] effects) {
        stepTicks.clear();
        for (ScanEffects e : effects) {
            if (e == null) {
                continue;
            }
            e.written(step).forEach(this::write);
            int before = stepTicks.size();
            for (Record<String, Alert> r : e.toIncidents(step)) {
                if (r.value() == null) {
                    if (sentBefore(r, before)) {
                        continue;
                    }
                    stepTicks.add(r);
                }
                incidentIn.add(r);
            }
        }
    }

    /** Whether another pipeline sent the same control record (key and time) in this step: every pipeline ticks alike. */
    private boolean sentBefore(Record<String, Alert> r, int others) {
        for (int i = 0; i < others; i++) {
            Record<String, Alert> t = stepTicks.get(i);
            if (t.timestamp() == r.timestamp() && Objects.equals(t.key(), r.key())) {
                return true;
            }
        }
        return false;
    }

    /** Raw records rejected by normalization plus this stage's processing failures. */
    int deadLettered() {
        return rejected + runtime.failed();
    }

    /** The hits the follow-up processor still holds, oldest due first. */
    List<Alert> held() {
        List<Alert> held = new ArrayList<>();
        KeyValueStore<String, Alert> store = runtime.store(DetectionProcessors.FOLLOW_UP_STORE);
        try (KeyValueIterator<String, Alert> it = store.all()) {
            it.forEachRemaining(kv -> held.add(kv.value));
        }
        return held;
    }

    /** The follow-up processor's output: a released hit is stamped and written; every alert goes on to the incidents. */
    private void followed(Record<String, Alert> r) {
        Record<String, Alert> next = r;
        if (DetectionProcessors.isReleased(r.key())) {
            next = r.withValue(DetectionProcessors.stampReleased(r.value()));
            write(output.copiesAlerts() ? next.value() : alerts.copy(next.value()));
        }
        if (incidentsOn) {
            Record<String, Alert> in = next;
            runtime.guard("incidents", () -> incidents.process(in));
        }
    }

    /** An alert as the alerts topic (at or above the floor) or the signals topic gives it. */
    private void write(Alert alert) {
        (alert.getSeverity().compareTo(alertsFloor) >= 0 ? raisedAlerts : raisedSignals).add(alert);
    }

    /** The alerts, then the signals, a raw record raised (as a scan reads the two topics after each record). */
    private void flushRaised() {
        raisedAlerts.forEach(output::alert);
        raisedSignals.forEach(output::alert);
        raisedAlerts.clear();
        raisedSignals.clear();
    }
}
