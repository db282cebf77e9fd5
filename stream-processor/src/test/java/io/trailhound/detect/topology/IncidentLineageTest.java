package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.detect.lineage.ChainCodec;
import io.trailhound.detect.lineage.CredentialLineage;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.serde.AvroSerde;

/**
 * The incident stage re-reads the credential chain of an alert raised before the lineage round trip brought it (AssumeRole
 * and the new key's first use in one batch, in two tasks) — a race the test driver, which updates the global store at once,
 * cannot show; here the processor runs alone with the chain already in the shared store.
 */
class IncidentLineageTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
    private static final ChainLink ALICE = ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::111111111111:user/alice")
            .setAccountId("111111111111").setAccessKeyId("AKIAALICE").build();
    private static final ChainLink OPS = ChainLink.newBuilder().setPrincipalArn("arn:aws:iam::222222222222:role/Ops")
            .setAccountId("222222222222").setAccessKeyId("ASIAOPS").setMintedAt(T.minusSeconds(5)).build();

    @Test
    void shouldGiveAnAlertTheChainItsKeyGotAfterDetection() {
        MockProcessorContext<String, Incident> context = new MockProcessorContext<>();
        KeyValueStore<String, String> lineage = store(DetectionTopology.LINEAGE_STORE, context);
        lineage.put("ASIAOPS", ChainCodec.write(List.of(ALICE, OPS)));
        IncidentProcessor processor = processor(context);

        processor.process(new Record<>("a-1", alert("a-1", "ASIAOPS"), T.toEpochMilli()));

        Incident incident = assertInstanceOf(Incident.class, context.forwarded().get(0).record().value());
        assertEquals(List.of(ALICE.getPrincipalArn(), OPS.getPrincipalArn()),
                incident.getChain().stream().map(ChainLink::getPrincipalArn).toList(), "the incident is rooted at the user");
    }

    @Test
    void shouldKeepTheCallerAloneWhenNoChainIsKnown() {
        MockProcessorContext<String, Incident> context = new MockProcessorContext<>();
        store(DetectionTopology.LINEAGE_STORE, context);
        IncidentProcessor processor = processor(context);

        processor.process(new Record<>("a-2", alert("a-2", "ASIAUNKNOWN"), T.toEpochMilli()));

        Incident incident = assertInstanceOf(Incident.class, context.forwarded().get(0).record().value());
        assertEquals(1, incident.getChain().size());
    }

    @Test
    void shouldStopCompletingAtACycleOrAnExpiredKey() {
        MockProcessorContext<String, Incident> context = new MockProcessorContext<>();
        KeyValueStore<String, String> store = store(DetectionTopology.LINEAGE_STORE, context);
        ChainLink x = ChainLink.newBuilder(OPS).setPrincipalArn("arn:aws:iam::222222222222:role/X").setAccessKeyId("ASIAX").build();
        ChainLink y = ChainLink.newBuilder(OPS).setPrincipalArn("arn:aws:iam::222222222222:role/Y").setAccessKeyId("ASIAY").build();
        store.put("ASIAX", ChainCodec.write(List.of(caller("ASIAY"), x)));
        store.put("ASIAY", ChainCodec.write(List.of(caller("ASIAX"), y)));
        store.put("ASIAOLD", ChainCodec.write(List.of(ALICE, ChainLink.newBuilder(OPS).setAccessKeyId("ASIAOLD")
                .setMintedAt(T.minus(CredentialLineage.MAX_CREDENTIAL_LIFETIME).minusSeconds(1)).build())));
        CredentialLineage lineage = new CredentialLineage(store);

        List<ChainLink> cycle = lineage.complete(List.of(caller("ASIAX")), T);
        List<ChainLink> expired = lineage.complete(List.of(caller("ASIAOLD")), T);

        assertEquals(List.of("ASIAX", "ASIAY", "ASIAX"), cycle.stream().map(ChainLink::getAccessKeyId).toList(), "ends at the repeat");
        assertEquals(List.of(caller("ASIAOLD")), expired, "credentials older than their lifetime are not followed");
    }

    @Test
    void shouldPurgeIncidentsIdleForTheRetentionIncludingThoseWrittenAfterThePurgeFirstReadTheStore() {
        MockProcessorContext<String, Incident> context = new MockProcessorContext<>();
        store(DetectionTopology.LINEAGE_STORE, context);
        IncidentProcessor processor = processor(context);
        StreamProcessorConfig config = new StreamProcessorConfig(Map.of(), RuleCatalog.builtIn());
        Duration retention = config.incidentGap().plus(config.suppressionWindow());
        Punctuator purge = context.scheduledPunctuators().get(0).getPunctuator();
        KeyValueStore<String, Incident> incidents = context.getStateStore(IncidentProcessor.STORE);
        KeyValueStore<String, String> index = context.getStateStore(IncidentProcessor.INDEX_STORE);

        processor.process(new Record<>("a-1", alertAt("a-1", "ASIAONE", T), T.toEpochMilli()));
        String first = context.forwarded().get(0).record().key();
        purge.punctuate(T.plus(Duration.ofMinutes(1)).toEpochMilli());
        assertNotNull(incidents.get(first), "active: kept");
        Instant later = T.plus(retention);
        processor.process(new Record<>("a-2", alertAt("a-2", "ASIATWO", later), later.toEpochMilli()));
        processor.process(new Record<>("a-3", alertAt("a-3", "ASIATWO", later.plusSeconds(60)), later.toEpochMilli()));
        String second = context.forwarded().get(1).record().key();
        purge.punctuate(later.plus(Duration.ofMinutes(2)).toEpochMilli());

        assertNull(incidents.get(first), "idle for longer than the retention: purged");
        Incident kept = incidents.get(second);
        assertNotNull(kept, "written after the first purge read the store, active: kept");
        assertEquals(later.plusSeconds(60), kept.getLastActivityAt());
        List<String> pointing = new ArrayList<>();
        try (KeyValueIterator<String, String> it = index.all()) {
            it.forEachRemaining(kv -> pointing.add(kv.value));
        }
        assertTrue(!pointing.isEmpty() && pointing.stream().allMatch(second::equals), "index entries of the purged one go: " + pointing);

        purge.punctuate(later.plus(retention).plus(Duration.ofMinutes(2)).toEpochMilli());
        assertNull(incidents.get(second), "its last activity, not its first, starts its retention");
    }

    private static Alert alertAt(String id, String keyId, Instant time) {
        return Alert.newBuilder(alert(id, keyId)).setFirstSeen(time).setLastSeen(time).setDetectedAt(time).build();
    }

    private static ChainLink caller(String keyId) {
        return ChainLink.newBuilder().setPrincipalArn("arn:aws:sts::222222222222:assumed-role/R/s").setAccountId("222222222222")
                .setAccessKeyId(keyId).build();
    }

    private static IncidentProcessor processor(MockProcessorContext<String, Incident> context) {
        LocalSchemaRegistry registry = new LocalSchemaRegistry();
        AvroSerde<Incident> incidents = new AvroSerde<>(Incident.class, registry, Map.of("schema.registry.url", "http://x.invalid"), false);
        KeyValueStore<String, Incident> incidentStore = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IncidentProcessor.STORE),
                Serdes.String(), incidents).withLoggingDisabled().build();
        incidentStore.init(context.getStateStoreContext(), incidentStore);
        context.addStateStore(incidentStore);
        store(IncidentProcessor.INDEX_STORE, context);
        IncidentProcessor processor = new IncidentProcessor(new StreamProcessorConfig(Map.of(), RuleCatalog.builtIn()));
        processor.init(context);
        return processor;
    }

    private static KeyValueStore<String, String> store(String name, MockProcessorContext<String, Incident> context) {
        KeyValueStore<String, String> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private static Alert alert(String id, String keyId) {
        Principal ops = Principal.newBuilder().setType(PrincipalType.AssumedRole).setAccountId("222222222222")
                .setArn("arn:aws:iam::222222222222:role/Ops").setSessionArn("arn:aws:sts::222222222222:assumed-role/Ops/s")
                .setPrincipalKey("222222222222/arn:aws:iam::222222222222:role/Ops").setAccessKeyId(keyId).build();
        return Alert.newBuilder().setAlertId(id).setDedupKey(id).setRuleId("TH-CT-001").setRuleKind(RuleKind.SIGNATURE)
                .setTitle("CloudTrail logging stopped").setSeverity(Severity.HIGH).setPrincipal(ops)
                .setChain(List.of(ChainLink.newBuilder().setPrincipalArn(ops.getSessionArn()).setAccountId("222222222222")
                        .setAccessKeyId(keyId).build()))
                .setAccountId("222222222222").setRegion("us-east-1").setEntities(Entities.newBuilder().build())
                .setEventIds(List.of("e-" + id)).setFindingIds(List.of()).setCount(1L).setFirstSeen(T).setLastSeen(T).setDetectedAt(T)
                .setMode(Mode.LIVE).build();
    }
}
