package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.CloudTrailEvent;

/**
 * Reads the serialized events of the by-principal repartition topic and drops one already seen within the dedup window (same
 * eventID and eventTime: the S3 and EventBridge paths, or overlapping trails). Runs after re-keying by principal, so both
 * copies meet in one partition. A key-value store purged on stream time, rather than a window store: history replays jump
 * across years, and each new window segment opens a RocksDB. Its keys start with the event time ({@link #key}), so a purge
 * reads only the expired range. Bytes that do not deserialize (only a foreign writer to the
 * repartition topic could produce them) are logged and skipped, as the deserialization exception handler would.
 */
final class DedupProcessor implements Processor<String, byte[], String, EncodedEvent>, EventClock.Owner {

    static final String STORE = "dedup-store";

    private static final Logger LOG = LoggerFactory.getLogger(DedupProcessor.class);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The lowest time-prefixed key. */
    private static final String FIRST_TIME_KEY = "0000000000000000|";
    /** Marks a store whose keys are all time-prefixed ({@link #migrate()}). */
    static final String FORMAT_KEY = "~format";
    private static final Long FORMAT_VERSION = 2L;

    private final Duration window;
    private final Deserializer<CloudTrailEvent> deserializer;
    private ProcessorContext<String, EncodedEvent> context;
    private KeyValueStore<String, Long> seen;
    /** Whether this instance has checked the store's key format ({@link #migrate()}); made anew with the processor. */
    private boolean migrated;
    /** The lowest key the store may hold below the last purge's bound (null: not known, the first key). */
    private String purgeFrom;
    /**
     * Purges judge the keys' event times on this clock ({@link EventClock}): on stream time a purge dropped the events of a
     * backlog at once, and a duplicate read after that purge passed.
     */
    private EventClock clock = new EventClock();

    DedupProcessor(Duration window, Deserializer<CloudTrailEvent> deserializer) {
        this.window = window;
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, EncodedEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        this.migrated = false;
        this.purgeFrom = null;
        this.clock = new EventClock();
        Duration every = window.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : window.dividedBy(4);
        clock.every(every, this::purge);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        CloudTrailEvent e;
        try {
            e = deserializer.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(""), record.value());
        } catch (SerializationException bad) {
            LOG.warn("skipped an undecodable record of the by-principal repartition topic ({}): {}",
                    context.recordMetadata().map(m -> m.partition() + ":" + m.offset()).orElse("?"), bad.getMessage());
            return;
        }
        if (firstSeen(e, record.timestamp())) {
            context.forward(record.withValue(new EncodedEvent(record.value(), e)));
        }
        clock.runDue();
    }

    /** Whether {@code e} is seen for the first time within the window (it is then remembered with {@code timestamp}). */
    private boolean firstSeen(CloudTrailEvent e, long timestamp) {
        if (!migrated) {
            migrate();
        }
        // eventTime is part of the key: hand-written and test data reuse eventIDs, real duplicates share both
        long eventTime = e.getEventTime().toEpochMilli();
        clock.observe(eventTime);
        String key = key(eventTime, e.getEventId());
        if (seen.get(key) != null) {
            return false;
        }
        seen.put(key, timestamp);
        if (purgeFrom != null && key.compareTo(purgeFrom) < 0) {
            purgeFrom = key;
        }
        return true;
    }

    @Override
    public EventClock eventClock() {
        return clock;
    }

    /**
     * The same dedup (same store, same keys) for events that are already decoded, with their serialized form: those keyed at
     * ingest, which reach it without a repartition topic, need not be read back from the bytes just written for them.
     */
    static Processor<String, EncodedEvent, String, EncodedEvent> ofEncoded(Duration window) {
        DedupProcessor dedup = new DedupProcessor(window, null);
        return new Processor<>() {
            @Override
            public void init(ProcessorContext<String, EncodedEvent> context) {
                dedup.init(context);
            }

            @Override
            public void process(Record<String, EncodedEvent> record) {
                if (dedup.firstSeen(record.value().event(), record.timestamp())) {
                    dedup.context.forward(record);
                }
                dedup.clock.runDue();
            }
        };
    }

    /**
     * Drops the events older than the window at {@code now} on the {@link #clock}: the first keys in time order, read as a
     * range, instead of every key (the store holds a whole window of events).
     */
    private void purge(long now) {
        if (!migrated) {
            migrate();
        }
        // an entry expires when now - time > window, i.e. time < now - window
        String bound = timePrefix(now - window.toMillis());
        String from = purgeFrom == null ? FIRST_TIME_KEY : purgeFrom;
        if (from.compareTo(bound) >= 0) {
            return;
        }
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = seen.range(from, bound)) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (key.compareTo(bound) < 0) {
                    expired.add(key);
                }
            }
        }
        expired.forEach(seen::delete);
        // nothing is left below the bound: the next purge starts there (RocksDB would otherwise step over every key deleted
        // so far, until compaction drops them), or at an older key put since (a late event)
        purgeFrom = bound;
    }

    /**
     * The key of an event: its event time as 16 hex digits that sort as the times do, {@code |}, its eventID; so expired keys
     * are a range at the start of the store.
     */
    static String key(long eventTimeMillis, String eventId) {
        return timePrefix(eventTimeMillis) + eventId;
    }

    /** {@code millis} with its sign bit flipped, as 16 lower-case hex digits (string order is numeric order), then {@code |}. */
    static String timePrefix(long millis) {
        char[] out = new char[17];
        long v = millis ^ Long.MIN_VALUE;
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        out[16] = '|';
        return new String(out);
    }

    private static boolean isTimeKey(String key) {
        if (key.length() <= 17 || key.charAt(16) != '|') {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            char c = key.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Rewrites the keys of the former format, {@code <eventID>@<eventTime millis>} (values unchanged), as time-prefixed keys,
     * once per store: a store restored from a changelog written before them still drops the duplicates it has seen and is
     * still purged. {@value #FORMAT_KEY} marks a store done (it sorts after every time-prefixed key, so no purge reaches it).
     */
    private void migrate() {
        migrated = true;
        if (seen.get(FORMAT_KEY) != null) {
            return;
        }
        List<KeyValue<String, Long>> former = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = seen.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (!isTimeKey(kv.key)) {
                    former.add(kv);
                }
            }
        }
        for (KeyValue<String, Long> kv : former) {
            seen.delete(kv.key);
            int at = kv.key.lastIndexOf('@');
            try {
                seen.put(key(Long.parseLong(kv.key.substring(at + 1)), kv.key.substring(0, at)), kv.value);
            } catch (NumberFormatException | IndexOutOfBoundsException notFormer) {
                LOG.warn("dropped dedup key {} of no known format", kv.key);
            }
        }
        if (!former.isEmpty()) {
            LOG.info("rewrote {} dedup keys of the former format as time-prefixed keys", former.size());
        }
        seen.put(FORMAT_KEY, FORMAT_VERSION);
    }
}
