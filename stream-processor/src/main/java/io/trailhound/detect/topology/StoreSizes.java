package io.trailhound.detect.topology;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauges {@code trailhound.state.store.entries{store}}: approximate entries of each local state store over this instance's tasks. */
final class StoreSizes {

    private StoreSizes() {
    }

    static void bind(KafkaStreams streams, MeterRegistry registry) {
        for (String store : DetectionTopology.LOCAL_STORES) {
            Gauge.builder("trailhound.state.store.entries", streams, s -> entries(s, store))
                    .description("Approximate entries of a local state store (all active tasks of this instance); NaN while unavailable")
                    .tag("store", store).register(registry);
        }
    }

    /** RocksDB's estimate of the store's entries summed over the local active tasks, or NaN while the store cannot be queried. */
    static double entries(KafkaStreams streams, String store) {
        try {
            ReadOnlyKeyValueStore<Object, Object> kv = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            return kv.approximateNumEntries();
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
    }
}
