package io.trailhound.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.serde.AvroSerde;
import io.trailhound.serde.SchemaRegistryClient;

/**
 * Every Trailhound topic, built once per application from the serde configuration with one shared schema registry client.
 * Pass an instance to whatever needs topics; nothing here is a mutable static.
 */
public final class Topics {

    public static final String CLOUDTRAIL_RAW = "trailhound.cloudtrail.raw";
    public static final String GUARDDUTY_RAW = "trailhound.guardduty.raw";
    public static final String IAM_SNAPSHOTS = "trailhound.iam.snapshots";
    public static final String EVENTS = "trailhound.events";
    /** Credential lineage: access key id to the chain that minted it (stream-processor internal state, shared as a topic). */
    public static final String LINEAGE = "trailhound.lineage";
    public static final String ALERTS = "trailhound.alerts";
    public static final String SIGNALS = "trailhound.signals";
    public static final String INCIDENTS = "trailhound.incidents";
    /** Per-principal blast-radius summaries from the stream processor's access stage (#15), compacted. */
    public static final String ACCESS_SUMMARIES = "trailhound.access.summaries";
    public static final String APPROVALS = "trailhound.response.approvals";
    public static final String ACTIONS = "trailhound.response.actions";
    public static final String DEADLETTER = "trailhound.deadletter";
    /** Prefix of every replay topic; live topic names never start with it. */
    public static final String REPLAY_PREFIX = "trailhound.replay.";

    private static final Pattern REPLAY_ID = Pattern.compile("[a-zA-Z0-9-]{1,100}");
    private static final Map<String, String> RAW = delete(Duration.ofDays(90));
    private static final Map<String, String> COMPACTED = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    /**
     * Replay outputs carry the event time of history, possibly years old: with create-time timestamps the broker would
     * delete them at once, so the broker stamps append time and the 7 days count from the replay run.
     */
    private static final Map<String, String> REPLAY = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()),
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
    /**
     * Compacted only. Records carry event time, so a time-based delete would drop a backfill's or replay's chains under the
     * global store reader; chains older than the 36 h STS maximum are tombstoned by the stream processor instead.
     */
    private static final Map<String, String> LINEAGE_CONFIG = COMPACTED;
    private static final Map<String, String> REPLAY_COMPACTED = Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()),
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    private final Serde<CloudTrailEvent> eventSerde;
    private final Serde<Alert> alertSerde;
    private final Serde<Incident> incidentSerde;
    private final Topic<String, byte[]> cloudTrailRaw;
    private final Topic<String, byte[]> guardDutyRaw;
    private final Topic<String, String> iamSnapshots;
    private final Topic<String, CloudTrailEvent> events;
    private final Topic<String, String> lineage;
    private final Topic<String, Alert> alerts;
    private final Topic<String, Alert> signals;
    private final Topic<String, Incident> incidents;
    private final Topic<String, String> accessSummaries;
    private final Topic<String, ApprovalMessage> approvals;
    private final Topic<String, ResponseAction> actions;
    private final Topic<byte[], byte[]> deadLetter;

    /** Topics whose Avro serdes share one registry client created from {@code serdeConfigs} ({@code schema.registry.url}, ...). */
    public Topics(Map<String, ?> serdeConfigs) {
        this(SchemaRegistryClient.create(serdeConfigs), serdeConfigs);
    }

    /** Topics whose Avro serdes share {@code client}; {@code serdeConfigs} gives the serde settings. */
    public Topics(SchemaRegistryClient client, Map<String, ?> serdeConfigs) {
        this.eventSerde = avro(CloudTrailEvent.class, client, serdeConfigs);
        this.alertSerde = avro(Alert.class, client, serdeConfigs);
        this.incidentSerde = avro(Incident.class, client, serdeConfigs);
        this.cloudTrailRaw = new Topic<>(CLOUDTRAIL_RAW, Serdes.String(), Serdes.ByteArray(), RAW, 6);
        this.guardDutyRaw = new Topic<>(GUARDDUTY_RAW, Serdes.String(), Serdes.ByteArray(), RAW, 3);
        this.iamSnapshots = new Topic<>(IAM_SNAPSHOTS, Serdes.String(), Serdes.String(), COMPACTED, 1);
        this.events = new Topic<>(EVENTS, Serdes.String(), eventSerde, delete(Duration.ofDays(30)), 6);
        this.lineage = new Topic<>(LINEAGE, Serdes.String(), Serdes.String(), LINEAGE_CONFIG, 6);
        this.alerts = new Topic<>(ALERTS, Serdes.String(), alertSerde, delete(Duration.ofDays(365)), 3);
        this.signals = new Topic<>(SIGNALS, Serdes.String(), alertSerde, delete(Duration.ofDays(90)), 3);
        this.incidents = new Topic<>(INCIDENTS, Serdes.String(), incidentSerde, COMPACTED, 3);
        this.accessSummaries = new Topic<>(ACCESS_SUMMARIES, Serdes.String(), Serdes.String(), COMPACTED, 1);
        this.approvals = new Topic<>(APPROVALS, Serdes.String(), avro(ApprovalMessage.class, client, serdeConfigs),
                delete(Duration.ofDays(30)), 3);
        this.actions = new Topic<>(ACTIONS, Serdes.String(), avro(ResponseAction.class, client, serdeConfigs),
                delete(Duration.ofDays(400)), 3);
        this.deadLetter = new Topic<>(DEADLETTER, Serdes.ByteArray(), Serdes.ByteArray(), delete(Duration.ofDays(30)), 1);
    }

    /**
     * Verbatim CloudTrail records as AWS wrote them (one per Kafka record), the forensic copy; the key is whatever the connector
     * sets (it does not parse records), with the origin in headers.
     */
    public Topic<String, byte[]> cloudTrailRaw() {
        return cloudTrailRaw;
    }

    /** Verbatim GuardDuty findings as AWS wrote them; the key is whatever the connector sets, with the origin in headers. */
    public Topic<String, byte[]> guardDutyRaw() {
        return guardDutyRaw;
    }

    /** IAM authorization-details snapshots as JSON, keyed by account id; compacted, so the latest per account stays. */
    public Topic<String, String> iamSnapshots() {
        return iamSnapshots;
    }

    /** Normalized CloudTrail events keyed by the principal's durable key ({@code Principal.principalKey}). */
    public Topic<String, CloudTrailEvent> events() {
        return events;
    }

    /**
     * Credential lineage keyed by access key id, value the JSON chain that minted it; compacted (expired chains tombstoned). Written
     * and read back (as a global store) by the stream processor.
     */
    public Topic<String, String> lineage() {
        return lineage;
    }

    /**
     * Alerts an analyst or the responder should act on (a configured severity and above, MEDIUM by default), keyed by alert id;
     * each carries its incident key in {@code incidentId}.
     */
    public Topic<String, Alert> alerts() {
        return alerts;
    }

    /**
     * Signals: rule hits below the alerts' severity (context for incidents and hunting, never acted on), keyed by alert id,
     * same {@code Alert} schema; shorter retention than alerts.
     */
    public Topic<String, Alert> signals() {
        return signals;
    }

    /** Incidents keyed by incident id; compacted, so the latest state per incident stays. */
    public Topic<String, Incident> incidents() {
        return incidents;
    }

    /**
     * Blast-radius summaries keyed by IAM user or role ARN, value JSON (io.trailhound.access.AccessSummary); compacted, a
     * tombstone when the principal left the graph. Written by the stream processor's access stage (one task) and read back
     * as a global store, so every alert carries its principal's summary.
     */
    public Topic<String, String> accessSummaries() {
        return accessSummaries;
    }

    /** Approval requests and decisions keyed by action id, so a request and its decision share a partition. */
    public Topic<String, ApprovalMessage> approvals() {
        return approvals;
    }

    /** Audit of every response action, keyed by action id (the idempotency key). */
    public Topic<String, ResponseAction> actions() {
        return actions;
    }

    /** Input that could not be processed, as it came, with the reason and origin in headers. */
    public Topic<byte[], byte[]> deadLetter() {
        return deadLetter;
    }

    /** Every live topic, in pipeline order. */
    public List<Topic<?, ?>> all() {
        return List.of(cloudTrailRaw, guardDutyRaw, iamSnapshots, events, lineage, alerts, signals, incidents, accessSummaries, approvals,
                actions, deadLetter);
    }

    /**
     * The topics a replay run writes to instead of the live ones, e.g. {@code trailhound.replay.<replayId>.alerts}; short
     * retention, same serdes.
     *
     * @param replayId 1 to 100 letters, digits or hyphens
     */
    public ReplayTopics replay(String replayId) {
        if (replayId == null || !REPLAY_ID.matcher(replayId).matches()) {
            throw new IllegalArgumentException("replay id must be 1 to 100 letters, digits or hyphens, was '" + replayId + "'");
        }
        String prefix = REPLAY_PREFIX + replayId + ".";
        return new ReplayTopics(replayId,
                new Topic<>(prefix + "events", Serdes.String(), eventSerde, REPLAY, events.partitions()),
                new Topic<>(prefix + "lineage", Serdes.String(), Serdes.String(), REPLAY_COMPACTED, lineage.partitions()),
                new Topic<>(prefix + "alerts", Serdes.String(), alertSerde, REPLAY, alerts.partitions()),
                new Topic<>(prefix + "signals", Serdes.String(), alertSerde, REPLAY, signals.partitions()),
                new Topic<>(prefix + "incidents", Serdes.String(), incidentSerde, REPLAY_COMPACTED, incidents.partitions()));
    }

    private static <T extends SpecificRecord> Serde<T> avro(Class<T> type, SchemaRegistryClient client, Map<String, ?> configs) {
        return new AvroSerde<>(type, client, configs, false);
    }

    private static Map<String, String> delete(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
}
