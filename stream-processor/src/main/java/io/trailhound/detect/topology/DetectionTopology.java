package io.trailhound.detect.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

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
import io.trailhound.serde.AvroSerde;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.serde.TrustedAvroClasses;
import io.trailhound.signing.RecordSigner;
import io.trailhound.topic.ReplayTopics;
import io.trailhound.topic.Topics;

/**
 * The detection topology (#16). Principal tasks: raw CloudTrail and GuardDuty records → normalize (rejections to the
 * dead-letter topic) → events keyed by durable principal: a record that arrived with that key (the {@code PrincipalKey}
 * transform at ingest) is already in its principal's partition and goes straight on, any other takes the {@code by-principal}
 * repartition into the same tasks → dedupe → {@code trailhound.events}, lineage and the rules; GuardDuty findings
 * ({@code by-finding}) → finding alerts; every alert is stamped with its incident key and written, in the transaction that
 * read its raw record, to {@code trailhound.alerts} (signed) or, below the alerts' severity, to {@code trailhound.signals}.
 * Off that path, the incident stage (one partition, {@code incident-in}) holds the hits that wait for a follow-up and builds
 * {@code trailhound.incidents} from alerts and signals.
 * The live application and {@code trailhound scan} build the same topology here.
 */
public final class DetectionTopology {

    /** Global store of credential chains by access key id, fed by the lineage topic. */
    static final String LINEAGE_STORE = "credential-lineage-store";
    /** Global store of access summaries by principal ARN (#15), fed by the access summaries topic. */
    static final String ACCESS_SUMMARY_STORE = "access-summary-store";
    /** The access stage's one-partition repartition topic of IAM changes ({@code <application.id>-access-in-repartition}). */
    public static final String ACCESS_IN = "access-in";
    /** The one-partition repartition of the access stage's alerts into the incident stage. */
    public static final String ACCESS_INCIDENT_IN = "incident-in-access";
    /** Store of the hits waiting for their follow-up (an MFA device removed, #18), read by {@code scan} at the end of input. */
    public static final String FOLLOW_UP_STORE = FollowUpProcessor.STORE;
    /** Names of the local state stores, for the store-size gauges. */
    static final List<String> LOCAL_STORES = List.of(DedupProcessor.STORE, DetectProcessor.SUPPRESSION_STORE, DetectProcessor.RATE_STORE,
            DetectProcessor.BASELINE_STORE, InstanceAddresses.STORE,
            FindingProcessor.STORE, LineageProcessor.MINTED_STORE, IncidentProcessor.STORE,
            IncidentProcessor.INDEX_STORE, FollowUpProcessor.STORE, FollowUpProcessor.INDEX_STORE, AccessStage.RECORDS_STORE,
            AccessStage.PUBLISHED_STORE);
    /**
     * Names of the repartition topics ({@code <application.id>-<name>-repartition}) in topology order: a record in one can
     * only produce records in those after it.
     */
    public static final List<String> REPARTITIONS = List.of("by-principal", "by-finding", "incident-in");
    /**
     * Kafka Streams settings the topology is built for, applied unless the operator sets them. No task idling: idling only
     * serves joins, which this topology has none of; with it, every record of the sub-topology that reads both raw topics
     * paid for the check of the (often empty) GuardDuty partitions. Producer batches of up to 128 KiB: each event is written
     * to several partitions (repartition, events, changelogs) within one transaction per commit interval, and the default
     * 16 KiB cut each partition's share of a commit into many small requests. All RocksDB stores share one bounded off-heap
     * budget ({@link BoundedRocksDbMemory}): Kafka Streams' defaults give each store instance its own cache and memtables.
     */
    public static final Map<String, Object> STREAMS_DEFAULTS = Map.of(
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED,
            StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 128 * 1024,
            StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    static final String INCIDENT_KEY = "incidents";

    private DetectionTopology() {
    }

    /** Builds the topology over {@code topics}, with the serde settings and registry {@code client} the topics use. */
    public static Topology build(StreamProcessorConfig config, RuleCatalog catalog, Topics topics, SchemaRegistryClient client,
                                 Map<String, ?> serdeConfigs) {
        return build(config, catalog, topics, client, serdeConfigs, DetectionMetrics.none());
    }

    /**
     * Where a run writes and which records it keeps: the live topics, or a replay's; an optional event-time range
     * {@code [from, to)} (null: unbounded) applied after normalization.
     *
     * @param events     normalized events
     * @param lineage    credential lineage (written and read back as the global store)
     * @param alerts     alerts
     * @param signals    signals: rule hits below the alerts' severity
     * @param incidents  incidents
     * @param deadLetter rejected raw records
     * @param from       first event time kept, or null
     * @param to         first event time no longer kept, or null
     */
    public record Sinks(String events, String lineage, String alerts, String signals, String incidents, String deadLetter, Instant from,
                        Instant to) {

        /** The live topics, with the lineage topic of {@code config}, and no time range. */
        public static Sinks live(Topics topics, StreamProcessorConfig config) {
            return new Sinks(topics.events().name(), config.lineageTopic(), topics.alerts().name(), topics.signals().name(),
                    topics.incidents().name(), topics.deadLetter().name(), null, null);
        }

        /** The topics of a replay run ({@code trailhound.replay.<id>.*}, dead letters included), keeping {@code [from, to)}. */
        public static Sinks replay(ReplayTopics replay, Instant from, Instant to) {
            return new Sinks(replay.events().name(), replay.lineage().name(), replay.alerts().name(), replay.signals().name(),
                    replay.incidents().name(), deadLetterOf(replay), from, to);
        }

        /** The dead-letter topic of a replay: {@code trailhound.replay.<id>.deadletter}. */
        public static String deadLetterOf(ReplayTopics replay) {
            return Topics.REPLAY_PREFIX + replay.replayId() + ".deadletter";
        }

        /** True for the live topics: only a live run has the access stage (#15), a replay or scan has no IAM snapshots. */
        boolean live() {
            return !alerts.startsWith(Topics.REPLAY_PREFIX);
        }

        boolean keeps(long eventTime) {
            return (from == null || eventTime >= from.toEpochMilli()) && (to == null || eventTime < to.toEpochMilli());
        }
    }

    /** Builds the topology over the live topics, recording its meters in {@code metrics}. */
    public static Topology build(StreamProcessorConfig config, RuleCatalog catalog, Topics topics, SchemaRegistryClient client,
                                 Map<String, ?> serdeConfigs, DetectionMetrics metrics) {
        return build(config, catalog, topics, client, serdeConfigs, metrics, Sinks.live(topics, config));
    }

    /** Builds the topology reading the raw topics of {@code topics} and writing to {@code sinks}. */
    public static Topology build(StreamProcessorConfig config, RuleCatalog catalog, Topics topics, SchemaRegistryClient client,
                                 Map<String, ?> serdeConfigs, DetectionMetrics metrics, Sinks sinks) {
        return build(config, catalog, topics, client, serdeConfigs, metrics, sinks, false);
    }

    /**
     * Builds the topology; with {@code inMemoryStores} its stores keep their state in the heap instead of RocksDB, without
     * changelogs (the same logic): for {@code trailhound scan}, whose test driver commits, and so flushes RocksDB, after every
     * record, and keeps every record produced (a changelog record per store write) until it is read.
     */
    public static Topology build(StreamProcessorConfig config, RuleCatalog catalog, Topics topics, SchemaRegistryClient client,
                                 Map<String, ?> serdeConfigs, DetectionMetrics metrics, Sinks sinks, boolean inMemoryStores) {
        Function<String, KeyValueBytesStoreSupplier> stores = inMemoryStores ? Stores::inMemoryKeyValueStore
                : Stores::persistentKeyValueStore;
        // processors build Avro records with defaults, which Avro 1.12 deep-copies only for trusted classes
        TrustedAvroClasses.install();
        StreamsBuilder builder = new StreamsBuilder();
        AvroSerde<CloudTrailEvent> eventSerde = new AvroSerde<>(CloudTrailEvent.class, client, serdeConfigs, false);
        AvroSerde<Alert> alertSerde = new AvroSerde<>(Alert.class, client, serdeConfigs, false);
        AvroSerde<GuardDutyFinding> findingSerde = new AvroSerde<>(GuardDutyFinding.class, client, serdeConfigs, false);
        Duration dedupWindow = config.dedupWindow();
        addLocalStores(builder, stores, !inMemoryStores, alertSerde, new AvroSerde<>(Incident.class, client, serdeConfigs, false));
        String lineageTopic = sinks.lineage();
        // the topic is the changelog of the global store: no second changelog
        builder.addGlobalStore(Stores.keyValueStoreBuilder(stores.apply(LINEAGE_STORE), Serdes.String(),
                Serdes.String()).withLoggingDisabled(), lineageTopic, Consumed.with(Serdes.String(), Serdes.String())
                .withName("lineage-source"), LineageStoreUpdater::new);
        String accessStore = sinks.live() && config.accessEnabled() ? ACCESS_SUMMARY_STORE : null;

        RecordNormalizer normalizer = new RecordNormalizer(new PrincipalResolver(config.sharedRolePatterns()), config.maxRecordBytes());
        KStream<String, byte[]> raw = builder.stream(List.of(topics.cloudTrailRaw().name(), topics.guardDutyRaw().name()),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-source"));
        Map<String, KStream<String, Routed>> routes = raw
                .process(() -> new NormalizeProcessor(normalizer, metrics), Named.as("normalize"))
                .filter((k, v) -> v.normalized() instanceof Normalized.Rejected || sinks.keeps(v.normalized().eventTimeMillis()),
                        Named.as("time-range"))
                .split(Named.as("route-"))
                .branch((k, v) -> v.normalized() instanceof Normalized.Rejected, Branched.as("rejected"))
                .branch((k, v) -> v.normalized() instanceof Normalized.Finding, Branched.as("finding"))
                .branch((k, v) -> v.keyed(), Branched.as("keyed-event"))
                .defaultBranch(Branched.as("unkeyed-event"));

        routes.get("route-rejected").mapValues(Routed::raw, Named.as("rejected-raw"))
                .to(sinks.deadLetter(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("deadletter-sink"));

        // serialized once, for the events topic: the repartition topic (if the record needs it) carries those bytes and the
        // events sink writes them; a record keyed at ingest is in its principal's partition already and needs no hop
        String eventsTopic = sinks.events();
        KStream<String, EncodedEvent> rekeyed = routes.get("route-unkeyed-event")
                .mapValues(v -> eventSerde.serializer().serialize(eventsTopic, ((Normalized.Event) v.normalized()).event()),
                        Named.as("unkeyed-event-value"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("by-principal"))
                .process(() -> new DedupProcessor(dedupWindow, eventSerde.deserializer()), Named.as("dedup"), DedupProcessor.STORE);
        // keyed at ingest: the event object goes on with its bytes, never decoded again
        KStream<String, EncodedEvent> encoded = routes.get("route-keyed-event")
                .mapValues(v -> {
                    CloudTrailEvent event = ((Normalized.Event) v.normalized()).event();
                    return new EncodedEvent(eventSerde.serializer().serialize(eventsTopic, event), event);
                }, Named.as("event-value"))
                .process(() -> DedupProcessor.ofEncoded(dedupWindow), Named.as("keyed-dedup"), DedupProcessor.STORE)
                .merge(rekeyed, Named.as("principal-events"));
        encoded.mapValues(EncodedEvent::bytes, Named.as("event-bytes"))
                .to(eventsTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("events-sink"));
        KStream<String, CloudTrailEvent> events = encoded.mapValues(EncodedEvent::event, Named.as("event-object"));
        events.process(LineageProcessor::new, Named.as("lineage"), LineageProcessor.MINTED_STORE)
                .to(lineageTopic, Produced.with(Serdes.String(), Serdes.String()).withName("lineage-sink"));
        AlertFactory alerts = new AlertFactory(config.mode());
        Environment environment = config.environment();
        KStream<String, Alert> ruleAlerts = events.process(() -> new DetectProcessor(catalog, alerts, config, metrics, environment),
                Named.as("detect"), DetectProcessor.SUPPRESSION_STORE, DetectProcessor.RATE_STORE, DetectProcessor.BASELINE_STORE,
                InstanceAddresses.STORE, LineageProcessor.MINTED_STORE);

        KStream<String, Alert> findingAlerts = routes.get("route-finding")
                .mapValues(v -> ((Normalized.Finding) v.normalized()).finding(), Named.as("finding-value"))
                .repartition(Repartitioned.with(Serdes.String(), findingSerde).withName("by-finding"))
                .process(() -> new FindingProcessor(config.mode()), Named.as("findings"), FindingProcessor.STORE);

        // the alert's own path ends here, in the transaction that read its raw record
        KStream<String, Alert> routed = ruleAlerts.merge(findingAlerts, Named.as("all-alerts"))
                .process(() -> new AlertRouter(config.mode(), metrics, accessStore), Named.as("alert-router"));
        Optional<RecordSigner> signer = config.recordSigner();
        writeAlerts(routed.filter((k, v) -> !FollowUpProcessor.isControl(k), Named.as("alerts-only")), "", config, sinks,
                alertSerde, signer);
        // the incident stage's input before the access stage: sub-topologies are numbered in the order their first nodes are
        // made, and a task's state lives under its number (SubtopologyIdsTest)
        KStream<String, Alert> incidentIn = incidentIn(routed, alertSerde);
        incidentStage(incidentIn, accessStore == null ? null : accessStage(builder, events, stores, !inMemoryStores, config, sinks,
                alertSerde, signer), config, sinks, alertSerde, new AvroSerde<>(Incident.class, client, serdeConfigs, false), signer);
        return builder.build();
    }

    /** The alert router's output (alerts, signals, follow-up control records) through the one-partition {@code incident-in}. */
    private static KStream<String, Alert> incidentIn(KStream<String, Alert> routed, AvroSerde<Alert> alertSerde) {
        return routed.selectKey((k, v) -> FollowUpProcessor.isControl(k) ? k : INCIDENT_KEY, Named.as("incident-key"))
                .repartition(Repartitioned.with(Serdes.String(), alertSerde).withName("incident-in").withNumberOfPartitions(1));
    }

    /**
     * The access stage (#15), one partition, off the alerts' path: the IAM snapshot records and the IAM changes of the events
     * (through the one-partition {@code access-in} repartition) keep the access graph; its summaries go to the compacted
     * summaries topic (read back as the global store the alert router looks principals up in) and its TH-ACC alerts are stamped
     * and written, signed, like every other alert; returns those alerts, for the incident stage.
     */
    private static KStream<String, Alert> accessStage(StreamsBuilder builder, KStream<String, CloudTrailEvent> events,
                                    Function<String, KeyValueBytesStoreSupplier> stores, boolean changelogs, StreamProcessorConfig config,
                                    Sinks sinks, AvroSerde<Alert> alertSerde, Optional<RecordSigner> signer) {
        // the summaries topic is the changelog of the global store the alert router reads: no second changelog
        builder.addGlobalStore(Stores.keyValueStoreBuilder(stores.apply(ACCESS_SUMMARY_STORE), Serdes.String(), Serdes.String())
                .withLoggingDisabled(), Topics.ACCESS_SUMMARIES, Consumed.with(Serdes.String(), Serdes.String())
                .withName("access-summaries-source"), () -> new LineageStoreUpdater(ACCESS_SUMMARY_STORE));
        for (String name : List.of(AccessStage.RECORDS_STORE, AccessStage.PUBLISHED_STORE)) {
            StoreBuilder<?> store = Stores.keyValueStoreBuilder(stores.apply(name), Serdes.String(), Serdes.String());
            builder.addStateStore(changelogs ? store : store.withLoggingDisabled());
        }
        KStream<String, String> changes = events
                .filter((k, v) -> AccessStage.isChange(v), Named.as("iam-changes"))
                .map((k, v) -> KeyValue.pair(AccessStage.CHANGE_KEY, AccessStage.changeValue(v)), Named.as("iam-change-value"))
                .repartition(Repartitioned.with(Serdes.String(), Serdes.String()).withName(ACCESS_IN).withNumberOfPartitions(1));
        KStream<String, AccessStage.Output> out = builder.stream(Topics.IAM_SNAPSHOTS,
                        Consumed.with(Serdes.String(), Serdes.String()).withName("iam-snapshots-source"))
                .merge(changes, Named.as("access-input"))
                .process(() -> new AccessStage(config.accessRebuildInterval(), config.accessMaxHops(), new AccessAlerts(config.mode())),
                        Named.as("access"), AccessStage.RECORDS_STORE, AccessStage.PUBLISHED_STORE);
        out.filter((k, v) -> v.alert() == null, Named.as("access-summaries"))
                .mapValues(AccessStage.Output::summary, Named.as("access-summary-value"))
                .to(Topics.ACCESS_SUMMARIES, Produced.with(Serdes.String(), Serdes.String()).withName("access-summaries-sink"));
        KStream<String, Alert> alerts = out.filter((k, v) -> v.alert() != null, Named.as("access-alerts"))
                .mapValues(v -> AlertRouter.stamp(v.alert()), Named.as("access-alert-key"));
        writeAlerts(alerts, "access-", config, sinks, alertSerde, signer);
        return alerts;
    }

    /**
     * The incident stage, off the alerts' path: one partition, as an incident can only gather alerts that meet in one task; the
     * follow-up processor's control records (held hits, their follow-ups, ticks) keep their keys to it. The access stage's
     * alerts ({@code accessAlerts}, null without that stage) come through a one-partition repartition of their own,
     * {@code incident-in-access}: merged into {@code routed} before {@code incident-in} they would fuse the access stage's
     * sub-topology with the principals' (a merge joins its inputs' sub-topologies), and the graph rebuild would run in a
     * principal task. After the repartition they join only the incident stage.
     *
     * @param incidentIn the alert router's output (alerts, signals, control records) read back from {@code incident-in}
     */
    private static void incidentStage(KStream<String, Alert> incidentIn, KStream<String, Alert> accessAlerts,
                                      StreamProcessorConfig config, Sinks sinks, AvroSerde<Alert> alertSerde,
                                      AvroSerde<Incident> incidentSerde, Optional<RecordSigner> signer) {
        KStream<String, Alert> input = incidentIn;
        if (accessAlerts != null) {
            input = incidentIn.merge(accessAlerts
                    .selectKey((k, v) -> INCIDENT_KEY, Named.as("access-incident-key"))
                    .repartition(Repartitioned.with(Serdes.String(), alertSerde).withName(ACCESS_INCIDENT_IN).withNumberOfPartitions(1)),
                    Named.as("incident-input"));
        }
        KStream<String, Alert> followed = input
                .process(() -> new FollowUpProcessor(config.followUpWindow(), config.followUpMaxHeld(), INCIDENT_KEY),
                        Named.as("follow-ups"), FollowUpProcessor.STORE, FollowUpProcessor.INDEX_STORE)
                .mapValues((k, v) -> FollowUpProcessor.RELEASED.equals(k) ? AlertRouter.stamp(v) : v, Named.as("released-key"));
        // a hit released after its window is a new alert: written from here
        writeAlerts(followed.filter((k, v) -> FollowUpProcessor.RELEASED.equals(k), Named.as("released")), "released-", config,
                sinks, alertSerde, signer);
        // signed (#19) where serialized: the signature covers the exact bytes the responder reads
        followed.process(() -> new IncidentProcessor(config), Named.as("incidents"), IncidentProcessor.STORE,
                        IncidentProcessor.INDEX_STORE)
                .process(() -> new SignedRecords<>(sinks.incidents(), incidentSerde.serializer(), signer),
                        Named.as("incident-signature"))
                .to(sinks.incidents(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("incidents-sink"));
    }

    /**
     * Writes {@code alerts} keyed by alert id: at or above the configured severity to the alerts topic, signed (#19) where
     * serialized, so the signature covers the exact bytes the responder reads; below it to the signals topic, unsigned (the
     * responder never reads signals).
     */
    private static void writeAlerts(KStream<String, Alert> alerts, String prefix, StreamProcessorConfig config, Sinks sinks,
                                    AvroSerde<Alert> alertSerde, Optional<RecordSigner> signer) {
        Severity floor = config.alertsMinSeverity();
        Map<String, KStream<String, Alert>> bySeverity = alerts
                .selectKey((k, v) -> v.getAlertId(), Named.as(prefix + "alert-id"))
                .split(Named.as(prefix + "severity-"))
                .branch((k, v) -> v.getSeverity().compareTo(floor) >= 0, Branched.as("alert"))
                .defaultBranch(Branched.as("signal"));
        bySeverity.get(prefix + "severity-alert")
                .process(() -> new SignedRecords<>(sinks.alerts(), alertSerde.serializer(), signer), Named.as(prefix + "alert-signature"))
                .to(sinks.alerts(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName(prefix + "alerts-sink"));
        bySeverity.get(prefix + "severity-signal")
                .to(sinks.signals(), Produced.with(Serdes.String(), alertSerde).withName(prefix + "signals-sink"));
    }

    private static void addLocalStores(StreamsBuilder builder, Function<String, KeyValueBytesStoreSupplier> stores, boolean changelogs,
                                       AvroSerde<Alert> alertSerde, AvroSerde<Incident> incidentSerde) {
        List<StoreBuilder<?>> local = List.of(
                Stores.keyValueStoreBuilder(stores.apply(DedupProcessor.STORE), Serdes.String(), Serdes.Long()),
                Stores.keyValueStoreBuilder(stores.apply(DetectProcessor.SUPPRESSION_STORE), Serdes.String(), alertSerde),
                Stores.keyValueStoreBuilder(stores.apply(DetectProcessor.RATE_STORE), Serdes.String(), Serdes.String()),
                Stores.keyValueStoreBuilder(stores.apply(DetectProcessor.BASELINE_STORE), Serdes.String(), Serdes.ByteArray()),
                Stores.keyValueStoreBuilder(stores.apply(InstanceAddresses.STORE), Serdes.String(), Serdes.String()),
                Stores.keyValueStoreBuilder(stores.apply(FindingProcessor.STORE), Serdes.String(), Serdes.Long()),
                Stores.keyValueStoreBuilder(stores.apply(LineageProcessor.MINTED_STORE), Serdes.String(), Serdes.String()),
                Stores.keyValueStoreBuilder(stores.apply(IncidentProcessor.STORE), Serdes.String(), incidentSerde),
                Stores.keyValueStoreBuilder(stores.apply(IncidentProcessor.INDEX_STORE), Serdes.String(), Serdes.String()),
                Stores.keyValueStoreBuilder(stores.apply(FollowUpProcessor.STORE), Serdes.String(), alertSerde),
                Stores.keyValueStoreBuilder(stores.apply(FollowUpProcessor.INDEX_STORE), Serdes.String(), Serdes.String()));
        for (StoreBuilder<?> store : local) {
            builder.addStateStore(changelogs ? store : store.withLoggingDisabled());
        }
    }
}
