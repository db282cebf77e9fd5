package io.trailhound.detect.scan;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A key-value store in the heap for the offline scan: values are kept as the objects put (no serde), keys ordered as Kafka
 * Streams orders them, by the unsigned bytes of their UTF-8 form (code point order, which differs from {@link String#compareTo}
 * only for characters beyond the Basic Multilingual Plane). Ranges are inclusive at both ends, as Kafka's in-memory store's.
 * Values must not be changed after {@code put}: the processors build new Avro records instead of changing stored ones (the
 * live stores hold serialized copies).
 *
 * <p>Each key's value sits in a slot that both a hash map (point reads and writes of a known key: no comparisons) and the
 * ordered map (ranges, a new key's place) share, so only new and deleted keys pay for the ordering.
 *
 * @param <V> the value type
 */
final class MapStore<V> extends HeapStore<V> {

    /** UTF-8 byte order of strings: code point order. */
    static final Comparator<String> UTF8_ORDER = MapStore::compareUtf8;

    private final TreeMap<Key, Slot<V>> map = new TreeMap<>();
    private final Map<String, Slot<V>> slots = new HashMap<>();

    MapStore(String name) {
        super(name);
    }

    /**
     * A key of the ordered map, with whether it has a char at or above U+D800: {@link String#compareTo} (a plain loop over the
     * chars, about half the cost of the code point comparison on the C1 JIT the scan runs with) orders two keys as their
     * UTF-8 bytes unless a surrogate meets a char of U+E000 or above where they first differ, which needs both.
     */
    record Key(String text, boolean high) implements Comparable<Key> {

        static Key of(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= Character.MIN_SURROGATE) {
                    return new Key(text, true);
                }
            }
            return new Key(text, false);
        }

        @Override
        public int compareTo(Key other) {
            return high && other.high ? compareUtf8(text, other.text) : text.compareTo(other.text);
        }
    }

    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (!Character.isSurrogate(x) && !Character.isSurrogate(y)) {
                    return x - y;
                }
                return Integer.compare(a.codePointAt(i), b.codePointAt(i));
            }
        }
        return a.length() - b.length();
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        Slot<V> slot = slots.get(key);
        if (slot != null) {
            slot.value = value;
        } else {
            slot = new Slot<>(Key.of(Objects.requireNonNull(key, "key")), value);
            slots.put(key, slot);
            map.put(slot.key, slot);
        }
    }

    @Override
    public V delete(String key) {
        Slot<V> slot = slots.remove(key);
        if (slot == null) {
            return null;
        }
        map.remove(slot.key);
        return slot.value;
    }

    @Override
    public V get(String key) {
        Slot<V> slot = slots.get(key);
        return slot == null ? null : slot.value;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return iterator(sub(from, to), false);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return iterator(sub(from, to), true);
    }

    private NavigableMap<Key, Slot<V>> sub(String from, String to) {
        if (from != null && to != null && compareUtf8(from, to) > 0) {
            return new TreeMap<>();
        }
        NavigableMap<Key, Slot<V>> m = map;
        if (from != null) {
            m = m.tailMap(Key.of(from), true);
        }
        return to == null ? m : m.headMap(Key.of(to), true);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return iterator(map, false);
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return iterator(map, true);
    }

    @Override
    public <S extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, S serializer) {
        String p = prefix.toString();
        NavigableMap<Key, Slot<V>> tail = map.tailMap(Key.of(p), true);
        Iterator<Map.Entry<Key, Slot<V>>> it = tail.entrySet().iterator();
        return new Entries<>(new Iterator<>() {
            private Map.Entry<Key, Slot<V>> next = advance();

            private Map.Entry<Key, Slot<V>> advance() {
                if (!it.hasNext()) {
                    return null;
                }
                Map.Entry<Key, Slot<V>> e = it.next();
                return e.getKey().text().startsWith(p) ? e : null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map.Entry<Key, Slot<V>> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Map.Entry<Key, Slot<V>> e = next;
                next = advance();
                return e;
            }
        });
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    private static <V> KeyValueIterator<String, V> iterator(NavigableMap<Key, Slot<V>> m, boolean reverse) {
        return new Entries<>((reverse ? m.descendingMap() : m).entrySet().iterator());
    }

    /** Iterates entries of the map; the store must not change while it is open (the processors collect, then delete). */
    private static final class Entries<V> implements KeyValueIterator<String, V> {
        private final Iterator<Map.Entry<Key, Slot<V>>> it;
        private Map.Entry<Key, Slot<V>> peeked;

        Entries(Iterator<Map.Entry<Key, Slot<V>>> it) {
            this.it = it;
        }

        @Override
        public boolean hasNext() {
            return peeked != null || it.hasNext();
        }

        @Override
        public KeyValue<String, V> next() {
            Map.Entry<Key, Slot<V>> e = peeked != null ? peeked : it.next();
            peeked = null;
            return KeyValue.pair(e.getKey().text(), e.getValue().value);
        }

        @Override
        public String peekNextKey() {
            if (peeked == null) {
                peeked = it.next();
            }
            return peeked.getKey().text();
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    @Override
    public void close() {
        map.clear();
        slots.clear();
    }

    /** A key's current value, shared by the hash map and the ordered map. */
    private static final class Slot<V> {
        private final Key key;
        private V value;

        Slot(Key key, V value) {
            this.key = key;
            this.value = value;
        }
    }

}
