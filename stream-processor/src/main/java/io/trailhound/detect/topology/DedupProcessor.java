package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import io.trailhound.avro.CloudTrailEvent;

/**
 * Drops a CloudTrail event already seen within the dedup window (same eventID and eventTime: the S3 and EventBridge paths, or
 * overlapping trails). Runs after re-keying by principal, so both copies meet in one partition. A key-value store purged on
 * stream time, rather than a window store: history replays jump across years, and each new window segment opens a RocksDB.
 */
final class DedupProcessor implements Processor<String, CloudTrailEvent, String, CloudTrailEvent> {

    static final String STORE = "dedup-store";

    private final Duration window;
    private ProcessorContext<String, CloudTrailEvent> context;
    private KeyValueStore<String, Long> seen;

    DedupProcessor(Duration window) {
        this.window = window;
    }

    @Override
    public void init(ProcessorContext<String, CloudTrailEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        Duration every = window.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : window.dividedBy(4);
        context.schedule(every, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, CloudTrailEvent> record) {
        CloudTrailEvent e = record.value();
        // eventTime is part of the key: hand-written and test data reuse eventIDs, real duplicates share both
        String key = e.getEventId() + "@" + e.getEventTime().toEpochMilli();
        if (seen.get(key) != null) {
            return;
        }
        seen.put(key, record.timestamp());
        context.forward(record);
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
