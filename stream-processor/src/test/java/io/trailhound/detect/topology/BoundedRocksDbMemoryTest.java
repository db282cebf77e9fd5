package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * All RocksDB stores of a process share one bounded block cache, with memtables and index and filter blocks charged to it: read
 * from the RocksDB metrics Kafka Streams reports for each store (real RocksDB stores, through the topology test driver).
 */
class BoundedRocksDbMemoryTest {

    private static final List<String> STORES = List.of("first-store", "second-store", "third-store");
    private static final long BUDGET = 16L * 1024 * 1024;
    private static final long KAFKA_STREAMS_DEFAULT_CACHE = 50L * 1024 * 1024;

    private Path stateDir;

    @BeforeEach
    void createStateDir() throws Exception {
        stateDir = Files.createTempDirectory("bounded-rocksdb-");
    }

    @AfterEach
    void deleteStateDir() throws Exception {
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldShareOneCacheOfTheBudgetBetweenEveryStore() {
        Map<String, Object> settings = new HashMap<>(DetectionTopology.STREAMS_DEFAULTS);
        settings.put(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, BUDGET);
        try (TopologyTestDriver driver = driver(settings)) {
            write(driver, 20_000);
            Map<String, Double> capacity = perStore(driver, "block-cache-capacity");
            Map<String, Double> usage = perStore(driver, "block-cache-usage");
            Map<String, Double> memtables = perStore(driver, "cur-size-all-mem-tables");
            assertEquals(STORES.size(), capacity.size(), capacity.toString());
            for (String store : STORES) {
                assertEquals(BUDGET, capacity.get(store), 0.0, store + ": the shared cache, not a cache of its own");
                // one cache: every store reports the same usage, the whole cache's, which holds the memtables' share
                assertEquals(usage.get(STORES.get(0)), usage.get(store), 0.0, store);
                assertTrue(usage.get(store) <= BUDGET, store + " " + usage);
            }
            double written = memtables.values().stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(written > 0, "the records are in the memtables: " + memtables);
            assertTrue(usage.get(STORES.get(0)) >= written * 0.9,
                "the memtables are charged to the cache: usage " + usage.get(STORES.get(0)) + ", memtables " + written);
        }
    }

    @Test
    void shouldLeaveEachStoreItsOwnCacheWithoutTheSetter() {
        try (TopologyTestDriver driver = driver(Map.of())) {
            write(driver, 100);
            Map<String, Double> capacity = perStore(driver, "block-cache-capacity");
            STORES.forEach(store -> assertEquals(KAFKA_STREAMS_DEFAULT_CACHE, capacity.get(store), 0.0, store));
        }
    }

    @Test
    void shouldRefuseABudgetThatIsNotAnAmountOfBytes() {
        assertEquals(BoundedRocksDbMemory.DEFAULT_MEMORY_BYTES, BoundedRocksDbMemory.budget(Map.of()));
        assertEquals(BUDGET, BoundedRocksDbMemory.budget(Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, " 16777216")));
        assertThrows(ConfigException.class, () -> BoundedRocksDbMemory.budget(Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, "16m")));
        assertThrows(ConfigException.class, () -> BoundedRocksDbMemory.budget(Map.of(BoundedRocksDbMemory.MEMORY_BYTES_CONFIG, 1024)));
    }

    private TopologyTestDriver driver(Map<String, Object> settings) {
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : STORES) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.String())
                .withLoggingDisabled());
        }
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
            .process(WriteEverywhere::new, STORES.toArray(String[]::new));
        Properties props = new Properties();
        props.putAll(settings);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(builder.build(), props);
    }

    private static void write(TopologyTestDriver driver, int records) {
        TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
        String value = "x".repeat(200);
        for (int i = 0; i < records; i++) {
            in.pipeInput("key-" + i, value + i);
        }
    }

    /** The value of the RocksDB metric {@code name} by store. */
    private static Map<String, Double> perStore(TopologyTestDriver driver, String name) {
        Map<String, Double> values = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
            MetricName metric = e.getKey();
            if (metric.name().equals(name) && metric.tags().containsKey("rocksdb-state-id")) {
                Object v = e.getValue().metricValue();
                values.put(metric.tags().get("rocksdb-state-id"), v instanceof BigInteger b ? b.doubleValue() : ((Number) v).doubleValue());
            }
        }
        return values;
    }

    /** Puts every record into every store. */
    private static final class WriteEverywhere implements Processor<String, String, Void, Void> {
        private final List<KeyValueStore<String, String>> stores = new java.util.ArrayList<>();

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            STORES.forEach(name -> stores.add(context.getStateStore(name)));
        }

        @Override
        public void process(Record<String, String> record) {
            stores.forEach(store -> store.put(record.key(), record.value()));
        }
    }
}
