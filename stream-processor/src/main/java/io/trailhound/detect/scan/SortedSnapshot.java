package io.trailhound.detect.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A store's entries at one moment, in the stores' key order ({@link MapStore#UTF8_ORDER}), for the reads that iterate: built
 * from entries already in that order (a {@link SharedStore} gives them so) with a few later writes merged in, so that taking
 * it costs a copy of references, not an ordered insert per key; a range finds its bounds by binary search.
 *
 * @param <V> the value type
 */
final class SortedSnapshot<V> {

    private final List<KeyValue<String, V>> entries;

    private SortedSnapshot(List<KeyValue<String, V>> entries) {
        this.entries = entries;
    }

    /**
     * {@code ordered} (in key order, no duplicate keys) with {@code writes} applied over it (a null value deletes the key).
     */
    static <V> SortedSnapshot<V> of(List<KeyValue<String, V>> ordered, Map<String, V> writes) {
        if (writes.isEmpty()) {
            return new SortedSnapshot<>(ordered);
        }
        TreeMap<String, V> sortedWrites = new TreeMap<>(MapStore.UTF8_ORDER);
        // a LinkedHashMap may hold null values (deletes): TreeMap.putAll keeps them
        writes.forEach(sortedWrites::put);
        List<KeyValue<String, V>> merged = new ArrayList<>(ordered.size() + writes.size());
        int i = 0;
        for (Map.Entry<String, V> w : sortedWrites.entrySet()) {
            while (i < ordered.size() && MapStore.UTF8_ORDER.compare(ordered.get(i).key, w.getKey()) < 0) {
                merged.add(ordered.get(i++));
            }
            if (i < ordered.size() && ordered.get(i).key.equals(w.getKey())) {
                i++;
            }
            if (w.getValue() != null) {
                merged.add(KeyValue.pair(w.getKey(), w.getValue()));
            }
        }
        while (i < ordered.size()) {
            merged.add(ordered.get(i++));
        }
        return new SortedSnapshot<>(merged);
    }

    long size() {
        return entries.size();
    }

    /** Entries with {@code from <= key <= to} (a null bound: unbounded), forwards or backwards. */
    KeyValueIterator<String, V> range(String from, String to, boolean reverse) {
        int start = from == null ? 0 : firstAtOrAfter(from);
        int end = to == null ? entries.size() : firstAfter(to);
        if (end < start) {
            end = start;
        }
        return new Entries<>(entries, start, end, reverse);
    }

    /** Entries whose key starts with {@code prefix}, in key order. */
    KeyValueIterator<String, V> prefix(String prefix) {
        int start = firstAtOrAfter(prefix);
        int end = start;
        while (end < entries.size() && entries.get(end).key.startsWith(prefix)) {
            end++;
        }
        return new Entries<>(entries, start, end, false);
    }

    private int firstAtOrAfter(String key) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (MapStore.UTF8_ORDER.compare(entries.get(mid).key, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int firstAfter(String key) {
        int lo = 0;
        int hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (MapStore.UTF8_ORDER.compare(entries.get(mid).key, key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Iterates {@code [start, end)} of a list, either way. */
    private static final class Entries<V> implements KeyValueIterator<String, V> {
        private final List<KeyValue<String, V>> entries;
        private final int start;
        private final int end;
        private final boolean reverse;
        private int next;

        Entries(List<KeyValue<String, V>> entries, int start, int end, boolean reverse) {
            this.entries = entries;
            this.start = start;
            this.end = end;
            this.reverse = reverse;
            this.next = reverse ? end - 1 : start;
        }

        @Override
        public boolean hasNext() {
            return reverse ? next >= start : next < end;
        }

        @Override
        public KeyValue<String, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            KeyValue<String, V> kv = entries.get(next);
            next += reverse ? -1 : 1;
            return kv;
        }

        @Override
        public String peekNextKey() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return entries.get(next).key;
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
