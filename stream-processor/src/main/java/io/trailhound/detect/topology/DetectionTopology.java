package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.trailhound.avro.Alert;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.PrincipalResolver;
import io.trailhound.detect.normalize.RecordNormalizer;
import io.trailhound.detect.rules.AlertFactory;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.serde.AvroSerde;
import io.trailhound.serde.SchemaRegistryClient;
import io.trailhound.serde.TrustedAvroClasses;
import io.trailhound.topic.Topics;

/**
 * The detection topology: raw CloudTrail and GuardDuty records → normalize (rejections to the dead-letter topic) → re-key by
 * durable principal (a compact Avro repartition) → dedupe → {@code trailhound.events} and the rules → {@code trailhound.alerts}.
 * The live application and {@code trailhound scan} build the same topology here.
 */
public final class DetectionTopology {

    /** Global store of credential chains by access key id, fed by the lineage topic. */
    static final String LINEAGE_STORE = "credential-lineage-store";

    private DetectionTopology() {
    }

    /** Builds the topology over {@code topics}, with the serde settings and registry {@code client} the topics use. */
    public static Topology build(StreamProcessorConfig config, RuleCatalog catalog, Topics topics, SchemaRegistryClient client,
                                 Map<String, ?> serdeConfigs) {
        return build(config, catalog, topics, client, serdeConfigs, DetectionMetrics.none());
    }

    /** Builds the topology, recording its meters in {@code metrics}. */
    public static Topology build(StreamProcessorConfig config, RuleCatalog catalog, Topics topics, SchemaRegistryClient client,
                                 Map<String, ?> serdeConfigs, DetectionMetrics metrics) {
        // processors build Avro records with defaults, which Avro 1.12 deep-copies only for trusted classes
        TrustedAvroClasses.install();
        StreamsBuilder builder = new StreamsBuilder();
        AvroSerde<CloudTrailEvent> eventSerde = new AvroSerde<>(CloudTrailEvent.class, client, serdeConfigs, false);
        AvroSerde<Alert> alertSerde = new AvroSerde<>(Alert.class, client, serdeConfigs, false);
        AvroSerde<GuardDutyFinding> findingSerde = new AvroSerde<>(GuardDutyFinding.class, client, serdeConfigs, false);
        Duration dedupWindow = config.dedupWindow();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DedupProcessor.STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectProcessor.SUPPRESSION_STORE),
                Serdes.String(), alertSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectProcessor.RATE_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DetectProcessor.BASELINE_STORE),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(FindingProcessor.STORE),
                Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LineageProcessor.MINTED_STORE),
                Serdes.String(), Serdes.Long()));
        String lineageTopic = config.lineageTopic();
        // the topic is the changelog of the global store: no second changelog
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LINEAGE_STORE), Serdes.String(),
                Serdes.String()).withLoggingDisabled(), lineageTopic, Consumed.with(Serdes.String(), Serdes.String())
                .withName("lineage-source"), LineageStoreUpdater::new);

        RecordNormalizer normalizer = new RecordNormalizer(new PrincipalResolver(config.sharedRolePatterns()), config.maxRecordBytes());
        KStream<String, byte[]> raw = builder.stream(List.of(topics.cloudTrailRaw().name(), topics.guardDutyRaw().name()),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-source"));
        Map<String, KStream<String, Routed>> routes = raw
                .process(() -> new NormalizeProcessor(normalizer, metrics), Named.as("normalize"))
                .split(Named.as("route-"))
                .branch((k, v) -> v.normalized() instanceof Normalized.Rejected, Branched.as("rejected"))
                .branch((k, v) -> v.normalized() instanceof Normalized.Finding, Branched.as("finding"))
                .defaultBranch(Branched.as("event"));

        routes.get("route-rejected").mapValues(Routed::raw, Named.as("rejected-raw"))
                .to(topics.deadLetter().name(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("deadletter-sink"));

        KStream<String, CloudTrailEvent> events = routes.get("route-event")
                .mapValues(v -> ((Normalized.Event) v.normalized()).event(), Named.as("event-value"))
                .repartition(Repartitioned.with(Serdes.String(), eventSerde).withName("by-principal"))
                .process(() -> new DedupProcessor(dedupWindow), Named.as("dedup"), DedupProcessor.STORE);
        events.to(topics.events().name(), Produced.with(Serdes.String(), eventSerde).withName("events-sink"));
        events.process(LineageProcessor::new, Named.as("lineage"), LineageProcessor.MINTED_STORE)
                .to(lineageTopic, Produced.with(Serdes.String(), Serdes.String()).withName("lineage-sink"));
        AlertFactory alerts = new AlertFactory(config.mode());
        KStream<String, Alert> ruleAlerts = events.process(() -> new DetectProcessor(catalog, alerts, config, metrics), Named.as("detect"),
                DetectProcessor.SUPPRESSION_STORE, DetectProcessor.RATE_STORE, DetectProcessor.BASELINE_STORE);

        KStream<String, Alert> findingAlerts = routes.get("route-finding")
                .mapValues(v -> ((Normalized.Finding) v.normalized()).finding(), Named.as("finding-value"))
                .repartition(Repartitioned.with(Serdes.String(), findingSerde).withName("by-finding"))
                .process(() -> new FindingProcessor(config.mode()), Named.as("findings"), FindingProcessor.STORE);
        ruleAlerts.merge(findingAlerts, Named.as("all-alerts"))
                .to(topics.alerts().name(), Produced.with(Serdes.String(), alertSerde).withName("alerts-sink"));
        return builder.build();
    }
}
