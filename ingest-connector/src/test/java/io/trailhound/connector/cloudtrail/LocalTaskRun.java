package io.trailhound.connector.cloudtrail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs a source task (by default a {@link CloudTrailS3SourceTask}) outside a worker, with offsets given up front, for fast
 * tests of its reading logic (the Connect-level behaviour is covered by the ITs on a real cluster).
 */
public final class LocalTaskRun implements AutoCloseable {

    private final SourceTask task;

    /** Starts a log-file source task with {@code props} that finds {@code offsets} as its stored offsets. */
    public LocalTaskRun(Map<String, String> props, Map<Map<String, String>, Map<String, Object>> offsets) {
        this(new CloudTrailS3SourceTask(), props, offsets);
    }

    /** Starts {@code task} with {@code props}; it finds {@code offsets} as its stored offsets. */
    public LocalTaskRun(SourceTask task, Map<String, String> props, Map<Map<String, String>, Map<String, Object>> offsets) {
        this.task = task;
        Map<Map<String, String>, Map<String, Object>> stored = Map.copyOf(offsets);
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return new FixedOffsets(stored);
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(props);
    }

    /** Polls until {@code count} records arrived or {@code max} passed; returns what arrived. */
    public List<SourceRecord> poll(int count, Duration max) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            List<SourceRecord> batch = task.poll();
            if (batch != null) {
                records.addAll(batch);
            }
        }
        return records;
    }

    /** Polls until {@code quiet} passes without a record; returns all records. */
    public List<SourceRecord> pollUntilQuiet(Duration quiet) throws InterruptedException {
        List<SourceRecord> records = new ArrayList<>();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quiet.toNanos()) {
            List<SourceRecord> batch = task.poll();
            if (batch != null && !batch.isEmpty()) {
                records.addAll(batch);
                quietSince = System.nanoTime();
            }
        }
        return records;
    }

    /**
     * Polls until {@code count} records arrived (at most 30 s: the task reads on its own thread, on its own time), then on
     * until {@code quiet} passes without another, to catch duplicates; returns all records.
     */
    public List<SourceRecord> pollAndThenQuiet(int count, Duration quiet) throws InterruptedException {
        List<SourceRecord> records = poll(count, Duration.ofSeconds(30));
        records.addAll(pollUntilQuiet(quiet));
        return records;
    }

    /** One poll() call. */
    public List<SourceRecord> pollOnce() throws InterruptedException {
        return task.poll();
    }

    @Override
    public void close() {
        task.stop();
    }

    /** Offsets fixed at start, as a worker would have them from its offset topic. */
    private record FixedOffsets(Map<Map<String, String>, Map<String, Object>> stored) implements OffsetStorageReader {

        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
            return stored.get(partition);
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
            Map<Map<String, T>, Map<String, Object>> found = new HashMap<>();
            for (Map<String, T> partition : partitions) {
                Map<String, Object> offset = stored.get(partition);
                if (offset != null) {
                    found.put(partition, offset);
                }
            }
            return found;
        }
    }
}
