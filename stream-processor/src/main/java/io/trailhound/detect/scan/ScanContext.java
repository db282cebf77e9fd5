package io.trailhound.detect.scan;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The {@link ProcessorContext} of one processor in the offline scan: {@code forward} hands the record to the next stage
 * directly (a method call, no serde), stores and punctuators are the {@link ScanRuntime}'s.
 *
 * @param <K> key type forwarded
 * @param <V> value type forwarded
 */
final class ScanContext<K, V> implements ProcessorContext<K, V> {

    private static final TaskId TASK = new TaskId(0, 0);

    private final ScanRuntime runtime;
    private final Consumer<Record<K, V>> downstream;

    /** A context whose forwarded records go to {@code downstream}. */
    ScanContext(ScanRuntime runtime, Consumer<Record<K, V>> downstream) {
        this.runtime = runtime;
        this.downstream = downstream;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
        downstream.accept((Record<K, V>) record);
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
        forward(record);
    }

    @Override
    public String applicationId() {
        return "trailhound-scan";
    }

    @Override
    public TaskId taskId() {
        return TASK;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.ofNullable(runtime.metadata());
    }

    @Override
    public Serde<?> keySerde() {
        return null;
    }

    @Override
    public Serde<?> valueSerde() {
        return null;
    }

    @Override
    public File stateDir() {
        return null;
    }

    @Override
    public StreamsMetrics metrics() {
        throw new UnsupportedOperationException("no Kafka Streams metrics in the offline scan");
    }

    @Override
    public <S extends StateStore> S getStateStore(String name) {
        return runtime.store(name);
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        if (type != PunctuationType.STREAM_TIME) {
            throw new UnsupportedOperationException("the offline scan has no wall-clock time: " + type);
        }
        return runtime.schedule(interval, callback);
    }

    @Override
    public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
        throw new UnsupportedOperationException("the offline scan schedules STREAM_TIME punctuation aligned to 0 only");
    }

    @Override
    public void commit() {
        // nothing to commit
    }

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }

    @Override
    public long currentSystemTimeMs() {
        return System.currentTimeMillis();
    }

    @Override
    public long currentStreamTimeMs() {
        return runtime.streamTime();
    }
}
