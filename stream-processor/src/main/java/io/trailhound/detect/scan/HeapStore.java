package io.trailhound.detect.scan;

import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What the scan's heap stores ({@link MapStore}, {@link SharedView}) have in common as Kafka Streams key-value stores: a
 * name, nothing to restore or persist, and the writes Kafka's interface derives from {@code get} and {@code put}.
 *
 * @param <V> the value type
 */
abstract class HeapStore<V> implements KeyValueStore<String, V> {

    private final String name;

    HeapStore(String name) {
        this.name = name;
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // nothing to restore
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
