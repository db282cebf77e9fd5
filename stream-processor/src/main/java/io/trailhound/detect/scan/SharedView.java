package io.trailhound.detect.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * One pipeline's view of a {@link SharedStore}, as its processors see the store: reads at the pipeline's current version
 * (after waiting for the other pipelines to get there), and, for a store the pipeline writes, its own writes of the current
 * step at once (they are published when the step ends). A view that does not see its own writes is the global lineage store
 * (the live task sees a lineage write only after the lineage topic's round trip); its writes are ignored, as the minted-keys
 * view has published the same ones. Not thread-safe: one pipeline uses it.
 *
 * @param <V> the value type
 */
final class SharedView<V> extends HeapStore<V> {

    private final SharedStore store;
    private final SharedStore.Progress progress;
    private final int pipeline;
    private final boolean writable;
    private final Map<String, Object> pending = new LinkedHashMap<>();
    private long version;
    private long awaited = -1L;

    /**
     * @param name     the store's name as the processors ask for it
     * @param pipeline index of the pipeline reading (the incident stage: the number of pipelines, it reads only what they have
     *                 all finished)
     * @param writable whether the view sees and publishes its own writes
     */
    SharedView(String name, SharedStore store, SharedStore.Progress progress, int pipeline, boolean writable) {
        super(name);
        this.store = store;
        this.progress = progress;
        this.pipeline = pipeline;
        this.writable = writable;
    }

    /** The pipeline's next step has {@code version}: reads see the writes before it. */
    void at(long next) {
        this.version = next;
    }

    /** Publishes this step's writes at the current version. */
    void publish() {
        if (!pending.isEmpty()) {
            store.publish(pending, version);
            pending.clear();
        }
    }

    private void await() {
        if (awaited < version - 1) {
            progress.await(pipeline, version - 1);
            awaited = version - 1;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(String key) {
        if (writable && pending.containsKey(key)) {
            return (V) pending.get(key);
        }
        await();
        return (V) store.get(key, version);
    }

    @Override
    public void put(String key, V value) {
        if (writable) {
            pending.put(key, value);
        }
    }

    @Override
    public V delete(String key) {
        V old = get(key);
        put(key, null);
        return old;
    }

    /**
     * What the view sees now, in key order: the purges iterate it, then write. The shared store gives its entries in that order,
     * so the snapshot is a list of them with this step's own writes merged in, not an ordered copy.
     */
    @SuppressWarnings("unchecked")
    private SortedSnapshot<V> snapshot() {
        await();
        List<KeyValue<String, V>> entries = new ArrayList<>();
        store.forEach(version, (k, v) -> entries.add(KeyValue.pair(k, (V) v)));
        return SortedSnapshot.of(entries, writable ? (Map<String, V>) pending : Map.of());
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return snapshot().range(from, to, false);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return snapshot().range(from, to, true);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return snapshot().range(null, null, false);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return snapshot().range(null, null, true);
    }

    @Override
    public <S extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, S serializer) {
        return snapshot().prefix(prefix.toString());
    }

    @Override
    public long approximateNumEntries() {
        return snapshot().size();
    }

    @Override
    public void close() {
        pending.clear();
    }

}
