package io.trailhound.detect.scan;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Principal;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.topology.DetectionProcessors;

/**
 * The principal's stage of the detection topology for one share of the principals, as one stream task of the live topology
 * runs it for its partitions (#16 item 5), driven by method calls: dedup → lineage, detect; GuardDuty findings → the finding
 * processor; then the alert router. The scan runs one pipeline per thread ({@code --threads}), each given every record of the
 * input in the scan's order ({@link #step}): it processes those of its principals (the records whose key a Kafka partitioner
 * puts in its partition, as the live topology's repartition by principal does), and on every record moves stream time and
 * fires its punctuators, and shows the other pipelines' event times to the processors that keep an event clock (their
 * purges, expiries and ticks run on it), so that every purge and tick is the one a single pipeline running all the
 * principals would have.
 *
 * <p>Each record is three steps, each with a version for the stores the pipelines share ({@link SharedStore}: the credential
 * lineage and the instance addresses): 0, the raw record is taken (stream time moves to its timestamp) and the punctuators due
 * fire; 1, the normalized record is taken and, if it is this pipeline's, processed; 2, the punctuators due after it fire. What
 * a step sends on (alerts written, records for the incident stage) is kept for the incident stage ({@link ScanEffects}), which
 * puts the pipelines' outputs back in the scan's order. Records cross the stages as the topics give them: event times cut to
 * the millisecond, findings and the alerts entering the incident stage read back from Avro ({@link AvroCopy}). Not
 * thread-safe: one pipeline runs on one thread.
 */
final class ScanPipeline {

    private static final byte[] NO_BYTES = new byte[0];
    private static final String TOPIC_PREFIX = "trailhound-scan-";

    private final ScanRuntime runtime = new ScanRuntime();
    private final OfflineScan.Output output;
    private final int index;
    private final SharedStore.Progress progress;
    private final List<SharedView<?>> shared = new ArrayList<>();
    private final Processor<String, byte[], String, Object> dedup;
    private final Processor<String, CloudTrailEvent, String, String> lineage;
    private final Processor<String, CloudTrailEvent, String, Alert> detect;
    private final Processor<String, GuardDutyFinding, String, Alert> findings;
    private final Processor<String, Alert, String, Alert> router;
    private final boolean incidentsOn;
    /** The processors that judge ages on their own event clock. */
    private final List<Processor<?, ?, ?, ?>> clocked;
    private final AvroCopy<Alert> alerts = new AvroCopy<>(Alert.class);
    private final AvroCopy<GuardDutyFinding> findingCopy = new AvroCopy<>(GuardDutyFinding.class);
    private ScanEffects effects;
    private int phase;
    private CloudTrailEvent current;
    private long repartitionOffset;

    /** Pipeline {@code index}, sharing the lineage and instance-address stores of {@code stores} with the others. */
    ScanPipeline(DetectionProcessors processors, OfflineScan.Output output, int index, SharedStores stores) {
        this.output = output;
        this.index = index;
        this.progress = stores.progress();
        for (List<String> names : List.of(DetectionProcessors.PRINCIPAL_STORES, DetectionProcessors.FINDING_STORES)) {
            for (String name : names) {
                if (SharedStores.isShared(name)) {
                    SharedView<Object> view = stores.view(name, index, true);
                    shared.add(view);
                    runtime.addStore(view);
                } else {
                    runtime.addStore(name);
                }
            }
        }
        // the global lineage store: the minted-keys view writes the same records sooner, so this one only reads
        SharedView<Object> global = stores.view(DetectionProcessors.LINEAGE_STORE, index, false);
        shared.add(global);
        runtime.addStore(global);
        // the dedup processor reads the event from the value it is given: here, the event being processed
        this.dedup = processors.dedup((topic, bytes) -> current);
        this.lineage = processors.lineage();
        this.detect = processors.detect();
        this.findings = processors.findings();
        this.router = processors.alertRouter();
        this.clocked = List.of(dedup, lineage, detect);
        this.incidentsOn = output.wantsIncidents();
        dedup.init(new ScanContext<>(runtime, this::deduplicated));
        // lineage records reach the shared store through the minted-keys view (the same writes)
        lineage.init(new ScanContext<>(runtime, r -> { }));
        detect.init(new ScanContext<>(runtime, r -> runtime.guard("alert-router", () -> router.process(r))));
        findings.init(new ScanContext<>(runtime, r -> runtime.guard("alert-router", () -> router.process(r))));
        router.init(new ScanContext<>(runtime, this::routed));
    }

    /** The pipeline of {@code pipelines} that processes records with {@code key}: Kafka's default partitioner's choice. */
    static int pipelineOf(String key, int pipelines) {
        if (pipelines == 1 || key == null) {
            return 0;
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % pipelines;
    }

    /**
     * Takes the {@code seq}th record of the scan's order: moves stream time and fires the punctuators, and processes it if
     * it is this pipeline's ({@code own}). Returns what it sent on, or null for nothing.
     */
    ScanEffects step(ScanRecord record, long seq, boolean own) {
        effects = null;
        long base = seq * 3;
        begin(base, 0);
        runtime.take(record.timestamp(), new ScanRuntime.Metadata(record.topic(), 0, record.offset()));
        runtime.punctuate();
        end(base);
        Record<String, Normalized> normalized = ScanRecord.accepted(record);
        if (normalized != null) {
            begin(base + 1, 1);
            runtime.take(normalized.timestamp(), new ScanRuntime.Metadata(TOPIC_PREFIX + "repartition", index,
                    own ? repartitionOffset++ : repartitionOffset));
            if (own) {
                principalStage(normalized);
            } else if (normalized.value() instanceof Normalized.Event) {
                // the processors that judge ages on their event clock see it move as in a single pipeline (a duplicate's time
                // is its original's, so observing it changes nothing)
                for (Processor<?, ?, ?, ?> clocked : clocked) {
                    DetectionProcessors.observeEventTime(clocked, normalized.timestamp());
                }
            }
            end(base + 1);
            begin(base + 2, 2);
            runtime.punctuate();
            end(base + 2);
        }
        progress.set(index, base + 2);
        return effects;
    }

    private void begin(long version, int step) {
        phase = step;
        for (int i = 0; i < shared.size(); i++) {
            shared.get(i).at(version);
        }
    }

    private void end(long version) {
        for (int i = 0; i < shared.size(); i++) {
            shared.get(i).publish();
        }
        progress.set(index, version);
    }

    /** Processing failures in this pipeline's nodes (dead letters live). */
    int failed() {
        return runtime.failed();
    }

    int index() {
        return index;
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
        if (effects == null) {
            effects = new ScanEffects();
        }
        boolean control = DetectionProcessors.isControl(r.key());
        if (!control) {
            effects.write(phase, output.copiesAlerts() ? r.value() : alerts.copy(r.value()));
        }
        String key = control ? r.key() : DetectionProcessors.INCIDENT_KEY;
        effects.toIncidents(phase, new Record<>(key, incidentsOn ? alerts.copy(r.value()) : r.value(), r.timestamp(), r.headers()));
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
