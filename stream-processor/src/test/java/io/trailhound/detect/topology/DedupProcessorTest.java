package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.serde.AvroSerde;
import io.trailhound.serde.TrustedAvroClasses;
import io.trailhound.topic.Topics;

/** The dedup store's time-prefixed keys: duplicates dropped, purges by range, keys of the former format rewritten. */
class DedupProcessorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(24);

    private final LocalSchemaRegistry registry = new LocalSchemaRegistry();
    private final Map<String, Object> serdeConfigs = Map.of("schema.registry.url", "http://in-process.invalid");
    private final AvroSerde<CloudTrailEvent> serde = new AvroSerde<>(CloudTrailEvent.class, registry, serdeConfigs, false);

    @BeforeAll
    static void trustOurAvroClasses() {
        TrustedAvroClasses.install();
    }

    @Test
    void shouldOrderKeysByTime() {
        List<Long> times = List.of(Long.MIN_VALUE, -1L, 0L, 1L, 15L, 16L, T0.toEpochMilli(), Long.MAX_VALUE);
        for (int i = 1; i < times.size(); i++) {
            assertTrue(DedupProcessor.key(times.get(i - 1), "z").compareTo(DedupProcessor.key(times.get(i), "a")) < 0,
                    times.get(i - 1) + " before " + times.get(i));
        }
        assertEquals("80000000000000ff|e", DedupProcessor.key(255, "e"));
    }

    @Test
    void shouldDropDuplicatesAndPurgeOnlyExpiredKeys() {
        new Topics(registry, serdeConfigs);
        MockProcessorContext<String, EncodedEvent> context = new MockProcessorContext<>();
        KeyValueStore<String, Long> store = store(context);
        DedupProcessor dedup = processor(context);
        dedup.process(record("a", T0));
        dedup.process(record("a", T0));
        dedup.process(record("a", T0.plusSeconds(1)));
        assertEquals(2, context.forwarded().size(), "same id and time once; same id at another time is another event");
        assertTrue(context.scheduledPunctuators().isEmpty(), "purges run on the event clock, not as punctuations");
        // past the window and a quarter-window mark: the purge at the end of this event drops what is older than the window
        dedup.process(record("b", T0.plus(WINDOW).plusSeconds(1)));
        assertNull(store.get(DedupProcessor.key(T0.toEpochMilli(), "a")), "older than the window");
        assertNotNull(store.get(DedupProcessor.key(T0.plusSeconds(1).toEpochMilli(), "a")), "within the window");
        assertNotNull(store.get(DedupProcessor.key(T0.plus(WINDOW).plusSeconds(1).toEpochMilli(), "b")));
        assertNotNull(store.get(DedupProcessor.FORMAT_KEY), "no purge reaches the format marker");
        // a late event, older than the last purge's bound, is still purged by the next one
        dedup.process(record("late", T0.minusSeconds(60)));
        assertNotNull(store.get(DedupProcessor.key(T0.minusSeconds(60).toEpochMilli(), "late")));
        dedup.process(record("c", T0.plus(WINDOW).plusSeconds(2)));
        assertNotNull(store.get(DedupProcessor.key(T0.minusSeconds(60).toEpochMilli(), "late")), "no quarter-window mark passed");
        // the next mark (a quarter window later) passed: purged up to a window before this event
        dedup.process(record("d", T0.plus(WINDOW).plus(WINDOW.dividedBy(4)).plusSeconds(2)));
        assertNull(store.get(DedupProcessor.key(T0.minusSeconds(60).toEpochMilli(), "late")));
        assertNull(store.get(DedupProcessor.key(T0.plusSeconds(1).toEpochMilli(), "a")));
        assertNotNull(store.get(DedupProcessor.key(T0.plus(WINDOW).plusSeconds(1).toEpochMilli(), "b")));
        assertNotNull(store.get(DedupProcessor.key(T0.plus(WINDOW).plusSeconds(2).toEpochMilli(), "c")));
    }

    @Test
    void shouldJudgeAgesOnTheEventsTimesNotOnAStreamTimeOfAppendTimesAhead() {
        new Topics(registry, serdeConfigs);
        MockProcessorContext<String, EncodedEvent> context = new MockProcessorContext<>();
        KeyValueStore<String, Long> store = store(context);
        DedupProcessor dedup = processor(context);
        // a backlog: events of two days ago read now, with append times (the task's stream time) two days ahead of them; purges
        // run on the events' clock (a quarter-window mark passed at backlog-2)
        dedup.process(record("backlog-1", T0));
        dedup.process(record("backlog-2", T0.plus(Duration.ofHours(6))));
        assertNotNull(store.get(DedupProcessor.key(T0.toEpochMilli(), "backlog-1")), "6 h of event time apart: within the window");
        dedup.process(record("backlog-1", T0));
        assertEquals(2, context.forwarded().size(), "the other trail's copy, read after the purge, is still dropped");
        dedup.process(record("backlog-3", T0.plus(WINDOW).plus(Duration.ofHours(1))));
        assertNull(store.get(DedupProcessor.key(T0.toEpochMilli(), "backlog-1")), "a window of event time later: purged");
        assertNotNull(store.get(DedupProcessor.key(T0.plus(Duration.ofHours(6)).toEpochMilli(), "backlog-2")));
    }

    @Test
    void shouldDropDuplicatesOfDecodedEventsAsOfBytes() {
        new Topics(registry, serdeConfigs);
        MockProcessorContext<String, EncodedEvent> context = new MockProcessorContext<>();
        KeyValueStore<String, Long> store = store(context);
        org.apache.kafka.streams.processor.api.Processor<String, EncodedEvent, String, EncodedEvent> dedup =
                DedupProcessor.ofEncoded(WINDOW);
        dedup.init(context);
        Record<String, byte[]> raw = record("a", T0);
        Record<String, EncodedEvent> encoded = raw.withValue(new EncodedEvent(raw.value(), serde.deserializer().deserialize(
                Topics.EVENTS, raw.value())));
        dedup.process(encoded);
        dedup.process(encoded);
        assertEquals(1, context.forwarded().size());
        assertEquals(encoded, context.forwarded().get(0).record());
        assertNotNull(store.get(DedupProcessor.key(T0.toEpochMilli(), "a")));
    }

    @Test
    void shouldRewriteKeysOfTheFormerFormat() {
        new Topics(registry, serdeConfigs);
        MockProcessorContext<String, EncodedEvent> context = new MockProcessorContext<>();
        KeyValueStore<String, Long> store = store(context);
        store.put("old-1@" + T0.toEpochMilli(), T0.toEpochMilli());
        store.put("odd@id@" + T0.plusSeconds(5).toEpochMilli(), T0.plusSeconds(5).toEpochMilli());
        DedupProcessor dedup = processor(context);
        dedup.process(record("old-1", T0));
        assertEquals(0, context.forwarded().size(), "a duplicate of an event seen before the new format");
        dedup.process(record("odd@id", T0.plusSeconds(5)));
        assertEquals(0, context.forwarded().size());
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        assertEquals(List.of(DedupProcessor.key(T0.toEpochMilli(), "old-1"), DedupProcessor.key(T0.plusSeconds(5).toEpochMilli(),
                "odd@id"), DedupProcessor.FORMAT_KEY), keys);
        assertEquals(T0.toEpochMilli(), store.get(DedupProcessor.key(T0.toEpochMilli(), "old-1")));
    }

    private DedupProcessor processor(MockProcessorContext<String, EncodedEvent> context) {
        context.setRecordMetadata("by-principal", 0, 0);
        DedupProcessor dedup = new DedupProcessor(WINDOW, serde.deserializer());
        dedup.init(context);
        return dedup;
    }

    private static KeyValueStore<String, Long> store(MockProcessorContext<String, EncodedEvent> context) {
        KeyValueStore<String, Long> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DedupProcessor.STORE),
                Serdes.String(), Serdes.Long()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private Record<String, byte[]> record(String eventId, Instant time) {
        Principal p = Principal.newBuilder().setType(PrincipalType.IAMUser).setPrincipalKey("1/arn:aws:iam::1:user/u").build();
        CloudTrailEvent e = CloudTrailEvent.newBuilder().setEventId(eventId).setEventTime(time).setEventName("DescribeInstances")
                .setEventSource("ec2.amazonaws.com").setAwsRegion("us-east-1").setPrincipal(p).build();
        return new Record<>(p.getPrincipalKey(), serde.serializer().serialize(Topics.EVENTS, e), time.toEpochMilli());
    }
}
