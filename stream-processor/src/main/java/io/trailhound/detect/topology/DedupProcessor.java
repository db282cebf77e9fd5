package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
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
 * across years, and each new window segment opens a RocksDB. Bytes that do not deserialize (only a foreign writer to the
 * repartition topic could produce them) are logged and skipped, as the deserialization exception handler would.
 */
final class DedupProcessor implements Processor<String, byte[], String, EncodedEvent> {

    static final String STORE = "dedup-store";

    private static final Logger LOG = LoggerFactory.getLogger(DedupProcessor.class);

    private final Duration window;
    private final Deserializer<CloudTrailEvent> deserializer;
    private ProcessorContext<String, EncodedEvent> context;
    private KeyValueStore<String, Long> seen;

    DedupProcessor(Duration window, Deserializer<CloudTrailEvent> deserializer) {
        this.window = window;
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, EncodedEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        Duration every = window.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : window.dividedBy(4);
        context.schedule(every, PunctuationType.STREAM_TIME, this::purge);
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
        // eventTime is part of the key: hand-written and test data reuse eventIDs, real duplicates share both
        String key = e.getEventId() + "@" + e.getEventTime().toEpochMilli();
        if (seen.get(key) != null) {
            return;
        }
        seen.put(key, record.timestamp());
        context.forward(record.withValue(new EncodedEvent(record.value(), e)));
    }

    private void purge(long streamTime) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = seen.all()) {
            while (it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                if (streamTime - kv.value > window.toMillis()) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }
}
