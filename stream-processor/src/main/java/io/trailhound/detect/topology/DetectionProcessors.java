package io.trailhound.detect.topology;

import java.util.List;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Severity;
import io.trailhound.detect.environment.Environment;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.PrincipalResolver;
import io.trailhound.detect.normalize.RecordNormalizer;
import io.trailhound.detect.rules.AlertFactory;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * The detection topology's processors, built exactly as {@link DetectionTopology} builds them, for a runtime that drives them
 * without Kafka Streams ({@code trailhound scan}, #16 item 5). One instance per run: like the topology, it creates the
 * environment, alert factory and normalizer once and shares them between the processors it makes. The processors' values
 * that are package-private types here ({@code Routed}, {@code EncodedEvent}) are read with the static accessors.
 */
public final class DetectionProcessors {

    /** The global store of credential chains (fed by the lineage topic live; written directly by an in-process runtime). */
    public static final String LINEAGE_STORE = DetectionTopology.LINEAGE_STORE;
    /** Key the alerts take on their way to the follow-up and incident stage (control records keep theirs). */
    public static final String INCIDENT_KEY = DetectionTopology.INCIDENT_KEY;
    /** Stores of the principal's stage: dedup, lineage, detection. */
    public static final List<String> PRINCIPAL_STORES = List.of(DedupProcessor.STORE, LineageProcessor.MINTED_STORE,
            DetectProcessor.SUPPRESSION_STORE, DetectProcessor.RATE_STORE, DetectProcessor.BASELINE_STORE, InstanceAddresses.STORE);
    /** Store of the GuardDuty finding stage. */
    public static final List<String> FINDING_STORES = List.of(FindingProcessor.STORE);
    /** Stores of the follow-up and incident stage; the first holds the hits waiting for their follow-up. */
    public static final List<String> INCIDENT_STORES = List.of(FollowUpProcessor.STORE, FollowUpProcessor.INDEX_STORE,
            IncidentProcessor.STORE, IncidentProcessor.INDEX_STORE);
    /** The principal's stage's store of minted credentials' chains (the lineage topic carries the same writes). */
    public static final String MINTED_STORE = LineageProcessor.MINTED_STORE;
    /** The principal's stage's store of instances' addresses. */
    public static final String INSTANCE_ADDRESS_STORE = InstanceAddresses.STORE;
    /** Store of the hits waiting for their follow-up. */
    public static final String FOLLOW_UP_STORE = FollowUpProcessor.STORE;

    private final StreamProcessorConfig config;
    private final RuleCatalog catalog;
    private final DetectionMetrics metrics;
    private final Environment environment;
    private final AlertFactory alerts;
    private final RecordNormalizer normalizer;

    /** The processors of a topology built with {@code config} and {@code catalog}, recording in {@code metrics}. */
    public DetectionProcessors(StreamProcessorConfig config, RuleCatalog catalog, DetectionMetrics metrics) {
        // as DetectionTopology.build: processors build Avro records with defaults, which Avro deep-copies only for trusted classes
        TrustedAvroClasses.install();
        this.config = config;
        this.catalog = catalog;
        this.metrics = metrics;
        this.environment = config.environment();
        this.alerts = new AlertFactory(config.mode());
        this.normalizer = new RecordNormalizer(new PrincipalResolver(config.sharedRolePatterns()), config.maxRecordBytes());
    }

    /** Raw record to a routed normalized record (key: principal or finding id; timestamp: event time). */
    public Processor<String, byte[], String, Object> normalize() {
        return cast(new NormalizeProcessor(normalizer, metrics));
    }

    /** Drops an event seen within the dedup window; {@code deserializer} turns the value it is given into the event. */
    public Processor<String, byte[], String, Object> dedup(Deserializer<CloudTrailEvent> deserializer) {
        return cast(new DedupProcessor(config.dedupWindow(), deserializer));
    }

    /** Publishes minted credentials' chains (key: access key id or session; value: chain JSON, null a tombstone). */
    public Processor<String, CloudTrailEvent, String, String> lineage() {
        return new LineageProcessor();
    }

    /** The rules: alerts, held hits and follow-ups (control keys), ticks. */
    public Processor<String, CloudTrailEvent, String, Alert> detect() {
        return new DetectProcessor(catalog, alerts, config, metrics, environment);
    }

    /** GuardDuty findings to alerts. */
    public Processor<String, GuardDutyFinding, String, Alert> findings() {
        return new FindingProcessor(config.mode());
    }

    /**
     * The last step of an alert in the principal's stage: stamps its incident key and counts it (key: alert id); control
     * records pass unchanged.
     */
    public Processor<String, Alert, String, Alert> alertRouter() {
        return new AlertRouter(config.mode(), metrics);
    }

    /** Lowest severity written to the alerts topic; below it, the signals topic. */
    public Severity alertsMinSeverity() {
        return config.alertsMinSeverity();
    }

    /**
     * Holds the hits that wait for a follow-up; forwards the alerts passing through with key {@link #INCIDENT_KEY} and released
     * hits with a key {@link #isReleased}.
     */
    public Processor<String, Alert, String, Alert> followUps() {
        return new FollowUpProcessor(config.followUpWindow(), config.followUpMaxHeld(), INCIDENT_KEY);
    }

    /** Groups alerts and signals into incidents: forwards each incident's new state. */
    public Processor<String, Alert, String, Incident> incidents() {
        return new IncidentProcessor(config);
    }

    /** Whether {@code key} is a follow-up control key (kept on the way to the incident stage). */
    public static boolean isControl(String key) {
        return FollowUpProcessor.isControl(key);
    }

    /** Whether the follow-up processor forwarded {@code key}'s alert as a released hit (a new alert, still to be written). */
    public static boolean isReleased(String key) {
        return FollowUpProcessor.RELEASED.equals(key);
    }

    /** A released hit stamped with its incident key, as the topology writes it. */
    public static Alert stampReleased(Alert alert) {
        return AlertRouter.stamp(alert);
    }

    /**
     * Shows {@code processor}, if it keeps an event clock (dedup, lineage, detect), the event time of a record another pipeline
     * processes, so that pipelines sharing out the principals purge, forget, expire and tick as one task seeing every record would.
     */
    public static void observeEventTime(Processor<?, ?, ?, ?> processor, long eventTimeMillis) {
        if (processor instanceof EventClock.Owner owner) {
            long before = owner.eventClock().now();
            owner.eventClock().observe(eventTimeMillis);
            if (processor instanceof DetectProcessor detect) {
                // as the one task would on that record: a tick when it moved the clock past a held hit's due time
                detect.tickOnDue(before);
            }
            // and the purges, expiries and minute ticks due on the clock, as at the end of a record it processes
            owner.eventClock().runDue();
        }
    }

    /** What the normalize processor made of its record. */
    public static Normalized normalized(Object routed) {
        return ((Routed) routed).normalized();
    }

    /** The raw bytes of a routed record (the dead letter's value). */
    public static byte[] raw(Object routed) {
        return ((Routed) routed).raw();
    }

    /** The event of a value the dedup processor forwarded. */
    public static CloudTrailEvent event(Object encoded) {
        return ((EncodedEvent) encoded).event();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <K, V> Processor<K, V, String, Object> cast(Processor processor) {
        return processor;
    }
}
