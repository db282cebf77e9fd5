package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** The scan's heap store against a plain ordered map: point reads and writes, deletes, ranges and prefix scans. */
class MapStoreTest {

    @Test
    void shouldReadWhatAnOrderedMapHoldsAfterRandomWritesAndDeletes() {
        MapStore<Integer> store = new MapStore<>("s");
        TreeMap<String, Integer> expected = new TreeMap<>(MapStore.UTF8_ORDER);
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            String key = "k" + random.nextInt(300) + (random.nextBoolean() ? "\uD83D\uDE00" : "\uFFFD");
            switch (random.nextInt(4)) {
                case 0 -> assertEquals(expected.remove(key), store.delete(key), key);
                case 1 -> {
                    store.put(key, null);
                    expected.remove(key);
                }
                case 2 -> assertEquals(expected.putIfAbsent(key, i), store.putIfAbsent(key, i), key);
                default -> {
                    store.put(key, i);
                    expected.put(key, i);
                }
            }
            assertEquals(expected.get(key), store.get(key), key);
        }
        assertEquals(expected.size(), store.approximateNumEntries());
        assertEquals(entries(expected, "k1", "k2"), read(store.range("k1", "k2")));
        assertEquals(entries(expected, null, null), read(store.all()));
        List<KeyValue<String, Integer>> reversed = new ArrayList<>(entries(expected, null, null));
        Collections.reverse(reversed);
        assertEquals(reversed, read(store.reverseAll()));
        assertEquals(expected.tailMap("k25", true).entrySet().stream().filter(e -> e.getKey().startsWith("k25"))
            .map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList(), read(store.prefixScan("k25", new StringSerializer())));
    }

    @Test
    void shouldShowTheLatestValueOfAKeyInRangesAndForgetDeletedKeys() {
        MapStore<String> store = new MapStore<>("s");
        store.put("a", "1");
        store.put("b", "1");
        store.put("a", "2");
        store.delete("b");
        store.put("b", "3");
        store.put("c", "1");
        store.put("c", null);

        assertEquals(List.of(KeyValue.pair("a", "2"), KeyValue.pair("b", "3")), read(store.range("a", "z")));
        assertNull(store.get("c"));
        store.close();
        assertNull(store.get("a"));
        assertEquals(List.of(), read(store.all()));
    }

    private static List<KeyValue<String, Integer>> entries(TreeMap<String, Integer> map, String from, String to) {
        return (from == null ? map : map.subMap(from, true, to, true)).entrySet().stream()
            .map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList();
    }

    private static <V> List<KeyValue<String, V>> read(KeyValueIterator<String, V> it) {
        List<KeyValue<String, V>> read = new ArrayList<>();
        try (it) {
            it.forEachRemaining(read::add);
        }
        return read;
    }
}
