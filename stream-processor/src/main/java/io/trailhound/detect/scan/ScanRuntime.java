package io.trailhound.detect.scan;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one Kafka Streams task gives its processors, in the heap, for the offline scan: the state stores, the record being
 * processed, stream time and its punctuators. Stream time is the largest timestamp of the records taken so far (as a task's
 * partition group advances it, before the record is processed); a STREAM_TIME punctuator is aligned to 0, so it first fires
 * once stream time is known, and again when stream time reaches its last due time plus its interval (missed intervals fire
 * once), exactly as Kafka Streams' punctuation queue. A processor that throws costs the record that node's work only (the
 * rest of the record's processing goes on), as the dead-letter handler makes it live; the scan counts it as a dead letter.
 */
final class ScanRuntime {

    /** Stream time before any record. */
    static final long UNKNOWN = -1L;

    private static final Logger LOG = LoggerFactory.getLogger(ScanRuntime.class);

    private final Map<String, StateStore> stores = new HashMap<>();
    private final PriorityQueue<Schedule> schedules = new PriorityQueue<>();
    private long streamTime = UNKNOWN;
    private long nextDue = Long.MAX_VALUE;
    private int scheduled;
    private int failed;
    private Metadata metadata;

    /** Adds a store in the heap named {@code name}. */
    void addStore(String name) {
        stores.put(name, new MapStore<>(name));
    }

    /** Adds {@code store} under its name. */
    void addStore(StateStore store) {
        stores.put(store.name(), store);
    }

    @SuppressWarnings("unchecked")
    <S extends StateStore> S store(String name) {
        StateStore s = stores.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no state store " + name);
        }
        return (S) s;
    }

    long streamTime() {
        return streamTime;
    }

    /** The record about to be processed has {@code timestamp}: stream time moves to it if it is later. */
    void take(long timestamp, Metadata source) {
        metadata = source;
        if (timestamp > streamTime) {
            streamTime = timestamp;
        }
    }

    RecordMetadata metadata() {
        return metadata;
    }

    /** Nodes that failed on a record (dead letters live). */
    int failed() {
        return failed;
    }

    /** Runs {@code work} as node {@code node} runs a record: a failure is logged and counted, not thrown. */
    void guard(String node, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            failed++;
            LOG.warn("dead-lettered record {} {}:{} (scan): processing failed in {}: {}", metadata == null ? "-" : metadata.topic(),
                    metadata == null ? 0 : metadata.partition(), metadata == null ? -1 : metadata.offset(), node, e.toString());
        }
    }

    Cancellable schedule(Duration interval, Punctuator punctuator) {
        long every = interval.toMillis();
        if (every < 1) {
            throw new IllegalArgumentException("the punctuation interval must be at least 1 ms: " + interval);
        }
        Schedule s = new Schedule(0L, every, punctuator, scheduled++);
        schedules.add(s);
        nextDue = Math.min(nextDue, 0L);
        return () -> s.cancelled = true;
    }

    /** Fires every punctuator due at the current stream time, in due-time order (then in the order scheduled). */
    void punctuate() {
        if (streamTime == UNKNOWN || nextDue > streamTime) {
            return;
        }
        Schedule top = schedules.peek();
        while (top != null && top.due <= streamTime) {
            schedules.poll();
            if (!top.cancelled) {
                Schedule fired = top;
                guard("punctuator", () -> fired.punctuator.punctuate(streamTime));
                if (!top.cancelled) {
                    schedules.add(top.next(streamTime));
                }
            }
            top = schedules.peek();
        }
        nextDue = top == null ? Long.MAX_VALUE : top.due;
    }

    /** Where a record comes from (for the processors' logs), as a topic partition offset. */
    record Metadata(String topic, int partition, long offset) implements RecordMetadata {
    }

    /** A STREAM_TIME punctuation: next due time, interval. */
    private static final class Schedule implements Comparable<Schedule> {
        final long due;
        final long interval;
        final Punctuator punctuator;
        final int order;
        volatile boolean cancelled;

        Schedule(long due, long interval, Punctuator punctuator, int order) {
            this.due = due;
            this.interval = interval;
            this.punctuator = punctuator;
            this.order = order;
        }

        /** As Kafka's {@code PunctuationSchedule.next}: the next multiple of the interval after {@code now}, missed ones skipped. */
        Schedule next(long now) {
            long next = due + interval;
            if (now >= next) {
                next = due + ((now - due) / interval + 1) * interval;
            }
            Schedule s = new Schedule(next, interval, punctuator, order);
            s.cancelled = cancelled;
            return s;
        }

        @Override
        public int compareTo(Schedule o) {
            return due != o.due ? Long.compare(due, o.due) : Integer.compare(order, o.order);
        }
    }
}
