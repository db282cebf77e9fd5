package io.trailhound.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import io.trailhound.topic.Topics;

/**
 * The live IAM snapshot records (#15): {@code trailhound.iam.snapshots} read from its beginning to its current end, the latest
 * value per key, tombstones removing their key, as the compacted topic means them and the stream processor's access stage
 * keeps them.
 */
final class LiveSnapshots {

    private LiveSnapshots() {
    }

    /** Key to JSON value of every live record; empty when the topic does not exist or holds none. */
    static Map<String, String> read(KafkaOptions kafka) {
        Map<String, String> records = new TreeMap<>();
        try (ReplayReader reader = new ReplayReader(kafka.connection())) {
            List<TopicPartition> partitions = reader.partitions(Topics.IAM_SNAPSHOTS);
            if (partitions.isEmpty()) {
                return records;
            }
            reader.readToEnd(Topics.IAM_SNAPSHOTS, null, record -> {
                if (record.key() == null) {
                    return;
                }
                String key = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    records.remove(key);
                } else {
                    records.put(key, new String(record.value(), StandardCharsets.UTF_8));
                }
            });
        } catch (ReplayReader.Unreachable e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (KafkaException e) {
            throw new IllegalArgumentException("reading " + Topics.IAM_SNAPSHOTS + " at " + kafka.bootstrapServers() + " failed: "
                + e.getMessage(), e);
        }
        return records;
    }
}
