package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** The snapshot a shared store's view iterates: ordered entries with later writes merged in, against a plain ordered map. */
class SortedSnapshotTest {

    @Test
    void shouldReadWhatAnOrderedMapHoldsAfterTheWritesAreApplied() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            TreeMap<String, Integer> base = new TreeMap<>(MapStore.UTF8_ORDER);
            for (int i = 0; i < random.nextInt(40); i++) {
                base.put(key(random), i);
            }
            Map<String, Integer> writes = new LinkedHashMap<>();
            TreeMap<String, Integer> expected = new TreeMap<>(base);
            for (int i = 0; i < random.nextInt(10); i++) {
                String key = random.nextBoolean() && !base.isEmpty() ? base.firstKey() : key(random);
                Integer value = random.nextInt(3) == 0 ? null : 100 + i;
                writes.put(key, value);
                if (value == null) {
                    expected.remove(key);
                } else {
                    expected.put(key, value);
                }
            }
            List<KeyValue<String, Integer>> ordered = new ArrayList<>();
            base.forEach((k, v) -> ordered.add(KeyValue.pair(k, v)));
            SortedSnapshot<Integer> snapshot = SortedSnapshot.of(ordered, writes);

            assertEquals(expected.size(), snapshot.size());
            assertEquals(entries(expected), read(snapshot.range(null, null, false)));
            List<KeyValue<String, Integer>> reversed = new ArrayList<>(entries(expected));
            Collections.reverse(reversed);
            assertEquals(reversed, read(snapshot.range(null, null, true)));
            String from = key(random);
            String to = key(random);
            TreeMap<String, Integer> inRange = MapStore.UTF8_ORDER.compare(from, to) > 0 ? new TreeMap<>(MapStore.UTF8_ORDER)
                : new TreeMap<>(expected.subMap(from, true, to, true));
            assertEquals(entries(inRange), read(snapshot.range(from, to, false)), from + ".." + to);
            assertEquals(entries(expected.tailMap("k1", true)).stream().filter(kv -> kv.key.startsWith("k1")).toList(),
                read(snapshot.prefix("k1")));
        }
    }

    /** Keys where a surrogate pair and a char above U+E000 meet: UTF-16 and UTF-8 order disagree there. */
    private static String key(Random random) {
        return "k" + random.nextInt(30) + (random.nextBoolean() ? "\uD83D\uDE00" : "\uFFFD") + random.nextInt(3);
    }

    private static List<KeyValue<String, Integer>> entries(Map<String, Integer> map) {
        List<KeyValue<String, Integer>> out = new ArrayList<>();
        map.forEach((k, v) -> out.add(KeyValue.pair(k, v)));
        return out;
    }

    private static List<KeyValue<String, Integer>> read(KeyValueIterator<String, Integer> it) {
        List<KeyValue<String, Integer>> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }
}
