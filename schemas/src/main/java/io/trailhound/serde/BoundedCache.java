package io.trailhound.serde;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small thread-safe least-recently-used map, so caches stay bounded however many keys pass: the registry's ids, the
 * stream processor's decoded baselines and access summaries.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BoundedCache<K, V> {

    private final Map<K, V> entries;

    /** A cache of at most {@code capacity} entries, dropping the least recently used beyond. */
    public BoundedCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value of {@code key} (now the most recently used), or null. */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    /** Keeps {@code value} for {@code key}, dropping the least recently used entry beyond the capacity. */
    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    /** Forgets {@code key}. */
    public synchronized void remove(K key) {
        entries.remove(key);
    }

    /** Entries held. */
    public synchronized int size() {
        return entries.size();
    }
}
