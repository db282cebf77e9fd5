package io.trailhound.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Bytes of state of a stopped detection application, per store: the logical size (serialized key + value of the latest record
 * of every live key in the store's changelog, or in the source topic of a global store: exactly what the store holds) and the
 * RocksDB SST files on disk after Kafka Streams flushed and closed the stores.
 */
final class DetectBenchState {

    /** The store keyed by event id within the dedup window: it grows with events per window, not with principals. */
    static final String DEDUP_STORE = "dedup-store";
    /** The store of per-principal baselines: its key count is the number of principals with a baseline. */
    static final String BASELINE_STORE = "baseline-store";

    private static final Duration QUIET = Duration.ofSeconds(2);

    /** One store: live keys, logical bytes (keys + values) and SST bytes on disk. */
    record Store(String name, String source, long keys, long bytes, long sstBytes) {
    }

    private DetectBenchState() {
    }

    /** Measures every store of {@code app} (already stopped), reading changelogs and source topics from {@code bootstrap}. */
    static List<Store> measure(String bootstrap, DetectBenchApp app) {
        Map<String, String> sources = new TreeMap<>();
        TopologyDescription description = app.topology().describe();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(s -> sources.put(s, app.applicationId() + "-" + s + "-changelog"));
                }
            }
        }
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            // a global store has no changelog: its source topic is its content
            String topic = global.source().topicSet().iterator().next();
            global.processor().stores().forEach(s -> sources.put(s, topic));
        }
        Map<String, Long> sst = sstBytes(app.stateDir().resolve(app.applicationId()));
        List<Store> stores = new ArrayList<>();
        sources.forEach((store, topic) -> {
            long[] live = liveBytes(bootstrap, topic);
            stores.add(new Store(store, topic, live[0], live[1], sst.getOrDefault(store, 0L)));
        });
        return stores;
    }

    /** Live keys and their bytes (key + latest non-null value) in {@code topic}, read to its end. */
    private static long[] liveBytes(String bootstrap, String topic) {
        Map<ByteBuffer, Integer> live = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = DetectBenchKafka.consumer(bootstrap)) {
            List<TopicPartition> partitions = DetectBenchKafka.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long quietSince = System.currentTimeMillis();
            while (!atEnd(consumer, end) && System.currentTimeMillis() - quietSince < QUIET.toMillis()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    quietSince = System.currentTimeMillis();
                    ByteBuffer key = ByteBuffer.wrap(record.key() == null ? new byte[0] : record.key());
                    if (record.value() == null) {
                        live.remove(key);
                    } else {
                        live.put(key, key.remaining() + record.value().length);
                    }
                }
            }
        }
        return new long[] {live.size(), live.values().stream().mapToLong(Integer::longValue).sum()};
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** SST bytes below {@code appDir} by store name (the directory below {@code rocksdb/}). */
    private static Map<String, Long> sstBytes(Path appDir) {
        Map<String, Long> bytes = new HashMap<>();
        if (!Files.isDirectory(appDir)) {
            return bytes;
        }
        try (Stream<Path> files = Files.walk(appDir)) {
            files.filter(f -> f.getFileName().toString().endsWith(".sst")).forEach(f -> {
                Path relative = appDir.relativize(f);
                for (int i = 0; i + 1 < relative.getNameCount(); i++) {
                    if (relative.getName(i).toString().equals("rocksdb")) {
                        bytes.merge(relative.getName(i + 1).toString(), size(f), Long::sum);
                        break;
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
