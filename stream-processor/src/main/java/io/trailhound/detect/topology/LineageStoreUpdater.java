package io.trailhound.detect.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global lineage store equal to the lineage topic: a chain per access key, removed by a tombstone. The access
 * summaries' global store (#15) is kept the same way ({@link #LineageStoreUpdater(String)}).
 */
final class LineageStoreUpdater implements Processor<String, String, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, String> store;

    LineageStoreUpdater() {
        this(DetectionTopology.LINEAGE_STORE);
    }

    /** Keeps the global store {@code storeName} equal to its topic. */
    LineageStoreUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
