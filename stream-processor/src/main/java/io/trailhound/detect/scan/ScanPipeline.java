package io.trailhound.detect.scan;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Principal;
import io.trailhound.avro.Severity;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.topology.DetectionProcessors;

/**
 * The detection topology's processors wired as one Kafka Streams task runs them, driven by method calls (#16 item 5): the
 * principal's stage (dedup → lineage, detect) and the GuardDuty stage, then the follow-up and incident stage. All the wiring
 * of the offline scan is here, in the order the live topology has it:
 * <ol>
 * <li>a raw record, already normalized ({@link ScanRecord}), is taken (stream time moves to its timestamp); a rejection is a
 * dead letter; then the punctuators due fire;</li>
 * <li>the normalized event goes to dedup (given the event itself, no serialized round trip: its timestamps are cut to the
 * millisecond as the Avro repartition topic cuts them), whose output goes to lineage, then detect; a finding goes, as Avro
 * reads it back, to the finding processor;</li>
 * <li>the alerts and control records (held hits, follow-ups, ticks) queue for the incident stage keyed as the live topology
 * keys them; each is read back from Avro, as the one-partition {@code incident-in} topic gives it, and goes through the
 * follow-up processor, then the incident processor, whose alerts and incidents leave read back from Avro as the sinks give
 * them.</li>
 * </ol>
 * Between two records of the task, the pending stage records are taken in timestamp order (the stage record of the raw
 * record before the ticks its punctuation queued, on equal times), and the lineage records written so far reach the global
 * lineage store (the live topology writes them to the lineage topic, which feeds that store), as the test driver applies them
 * when it captures a record's output. Not thread-safe: one pipeline runs on one thread.
 */
final class ScanPipeline {

    private static final byte[] NO_BYTES = new byte[0];
    private static final String TOPIC_PREFIX = "trailhound-scan-";

    private final ScanRuntime runtime = new ScanRuntime();
    private final OfflineScan.Output output;
    private final Processor<String, byte[], String, Object> dedup;
    private final Processor<String, CloudTrailEvent, String, String> lineage;
    private final Processor<String, CloudTrailEvent, String, Alert> detect;
    private final Processor<String, GuardDutyFinding, String, Alert> findings;
    private final Processor<String, Alert, String, Alert> router;
    private final Processor<String, Alert, String, Alert> followUps;
    private final Processor<String, Alert, String, Incident> incidents;
    private final Severity alertsFloor;
    private final boolean incidentsOn;
    private final List<Alert> raisedAlerts = new ArrayList<>();
    private final List<Alert> raisedSignals = new ArrayList<>();
    private final KeyValueStore<String, String> lineageStore;
    private final ArrayDeque<Record<String, Alert>> incidentIn = new ArrayDeque<>();
    private final List<Record<String, String>> lineageOut = new ArrayList<>();
    private final AvroCopy<Alert> alerts = new AvroCopy<>(Alert.class);
    private final AvroCopy<Incident> incidentCopy = new AvroCopy<>(Incident.class);
    private final AvroCopy<GuardDutyFinding> findingCopy = new AvroCopy<>(GuardDutyFinding.class);
    private Record<String, Normalized> repartitioned;
    private CloudTrailEvent current;
    private long incidentOffset;
    private long repartitionOffset;
    private int rejected;

    ScanPipeline(DetectionProcessors processors, OfflineScan.Output output) {
        this.output = output;
        for (List<String> names : List.of(DetectionProcessors.PRINCIPAL_STORES, DetectionProcessors.FINDING_STORES,
                DetectionProcessors.INCIDENT_STORES, List.of(DetectionProcessors.LINEAGE_STORE))) {
            names.forEach(runtime::addStore);
        }
        this.lineageStore = runtime.store(DetectionProcessors.LINEAGE_STORE);
        // the dedup processor reads the event from the value it is given: here, the event being processed
        this.dedup = processors.dedup((topic, bytes) -> current);
        this.lineage = processors.lineage();
        this.detect = processors.detect();
        this.findings = processors.findings();
        this.router = processors.alertRouter();
        this.followUps = processors.followUps();
        this.incidents = processors.incidents();
        this.alertsFloor = processors.alertsMinSeverity();
        this.incidentsOn = output.wantsIncidents();
        dedup.init(new ScanContext<>(runtime, this::deduplicated));
        lineage.init(new ScanContext<>(runtime, lineageOut::add));
        detect.init(new ScanContext<>(runtime, r -> runtime.guard("alert-router", () -> router.process(r))));
        findings.init(new ScanContext<>(runtime, r -> runtime.guard("alert-router", () -> router.process(r))));
        router.init(new ScanContext<>(runtime, this::routed));
        followUps.init(new ScanContext<>(runtime, this::followed));
        incidents.init(new ScanContext<>(runtime, r -> output.incident(incidentCopy.copy(r.value()))));
    }

    /** Processes one raw record and everything it causes, as the task does before it takes the next raw record. */
    void accept(ScanRecord record) {
        runtime.take(record.timestamp(), new ScanRuntime.Metadata(record.topic(), 0, record.offset()));
        Record<String, Normalized> normalized = record.normalized();
        if (normalized == null || normalized.value() instanceof Normalized.Rejected) {
            rejected++;
        } else {
            repartitioned = normalized;
        }
        afterRecord();
        while (repartitioned != null || !incidentIn.isEmpty()) {
            if (repartitioned != null && (incidentIn.isEmpty() || repartitioned.timestamp() <= incidentIn.peek().timestamp())) {
                Record<String, Normalized> r = repartitioned;
                repartitioned = null;
                runtime.take(r.timestamp(), new ScanRuntime.Metadata(TOPIC_PREFIX + "repartition", 0, repartitionOffset++));
                principalStage(r);
            } else {
                Record<String, Alert> r = incidentIn.poll();
                runtime.take(r.timestamp(), new ScanRuntime.Metadata(TOPIC_PREFIX + "incident-in-repartition", 0, incidentOffset++));
                runtime.guard("follow-ups", () -> followUps.process(r));
            }
            afterRecord();
        }
        flushRaised();
    }

    /** Raw records rejected by normalization plus processing failures: what the live topology writes to the dead-letter topic. */
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

    private void afterRecord() {
        runtime.punctuate();
        for (Record<String, String> r : lineageOut) {
            // as LineageStoreUpdater applies the lineage topic to the global store
            if (r.key() != null) {
                lineageStore.put(r.key(), r.value());
            }
        }
        lineageOut.clear();
    }

    private void principalStage(Record<String, Normalized> r) {
        Normalized n = r.value();
        if (n instanceof Normalized.Event e) {
            current = millisecondTimes(e.event());
            runtime.guard("dedup", () -> dedup.process(r.withValue(NO_BYTES)));
            current = null;
        } else if (n instanceof Normalized.Finding f) {
            GuardDutyFinding finding = findingCopy.copy(f.finding());
            runtime.guard("findings", () -> findings.process(r.withValue(finding)));
        }
    }

    private void deduplicated(Record<String, Object> r) {
        Record<String, CloudTrailEvent> event = r.withValue(DetectionProcessors.event(r.value()));
        runtime.guard("lineage", () -> lineage.process(event));
        runtime.guard("detect", () -> detect.process(event));
    }

    /** The alert router's output: an alert is written (alerts or signals), then everything queues for the incident stage. */
    private void routed(Record<String, Alert> r) {
        boolean control = DetectionProcessors.isControl(r.key());
        if (!control) {
            write(r.value());
        }
        String key = control ? r.key() : DetectionProcessors.INCIDENT_KEY;
        incidentIn.add(new Record<>(key, incidentsOn ? alerts.copy(r.value()) : r.value(), r.timestamp(), r.headers()));
    }

    /** The follow-up processor's output: a released hit is stamped and written; every alert goes on to the incidents. */
    private void followed(Record<String, Alert> r) {
        Record<String, Alert> next = r;
        if (DetectionProcessors.isReleased(r.key())) {
            next = r.withValue(DetectionProcessors.stampReleased(r.value()));
            write(next.value());
        }
        if (incidentsOn) {
            Record<String, Alert> in = next;
            runtime.guard("incidents", () -> incidents.process(in));
        }
    }

    /** An alert as the alerts topic (at or above the floor) or the signals topic gives it. */
    private void write(Alert alert) {
        Alert written = output.copiesAlerts() ? alert : alerts.copy(alert);
        (alert.getSeverity().compareTo(alertsFloor) >= 0 ? raisedAlerts : raisedSignals).add(written);
    }

    /** The alerts, then the signals, a raw record raised (as a scan reads the two topics after each record). */
    private void flushRaised() {
        raisedAlerts.forEach(output::alert);
        raisedSignals.forEach(output::alert);
        raisedAlerts.clear();
        raisedSignals.clear();
    }

    /** The event with its times to the millisecond, as the Avro topics carry them (timestamp-millis). */
    static CloudTrailEvent millisecondTimes(CloudTrailEvent e) {
        Instant t = e.getEventTime();
        if (t != null && t.getNano() % 1_000_000 != 0) {
            e.put("eventTime", Instant.ofEpochMilli(t.toEpochMilli()));
        }
        Principal p = e.getPrincipal();
        Instant created = p == null ? null : p.getSessionCreationTime();
        if (created != null && created.getNano() % 1_000_000 != 0) {
            p.put("sessionCreationTime", Instant.ofEpochMilli(created.toEpochMilli()));
        }
        return e;
    }
}
