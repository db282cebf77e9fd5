package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The latest event time a processor has taken: its event clock. The dedup, lineage and detect processors judge ages on it
 * rather than on the task's stream time, which the raw topics' append times set and which runs ahead of event time by the
 * delivery delay (a backlog of trail files, a backfill): on stream time a purge dropped a backlog's dedup keys, chains and
 * suppressions while its later events still needed them, and a restarted task, which punctuates at its first record, purged
 * what an uninterrupted run kept (#17). Not stored: after a restart a clock starts again from the first event, which can only
 * purge less. An in-process runtime that splits the principals over several pipelines but must behave as one task
 * ({@code trailhound scan}) shows each such processor the event times of the records another pipeline processes, through
 * {@link DetectionProcessors#observeEventTime}. Not thread-safe: one processor's thread uses it.
 */
final class EventClock {

    private long latest = Long.MIN_VALUE;
    /** The periodic work run on this clock ({@link #every}), in the order registered. */
    private final List<Periodic> periodic = new ArrayList<>(2);

    /**
     * Runs {@code work} (given the clock's time) whenever {@link #runDue} finds the clock at or past its due time: first at the
     * first run after the clock started, then at the next multiple of {@code interval} after the time it last ran (the periods
     * passed meanwhile run once), as Kafka Streams' STREAM_TIME punctuation aligned to 0 does on stream time. The dedup,
     * lineage and detect processors run their purges this way, at the end of the record that moves their clock, instead of as
     * punctuations: each stream-time punctuation makes Kafka Streams halve the records it processes per task between two
     * checks of its tasks, and a backlog or replay crosses a minute of event time every few records.
     */
    void every(Duration interval, LongConsumer work) {
        long millis = interval.toMillis();
        if (millis < 1) {
            throw new IllegalArgumentException("the interval must be at least 1 ms: " + interval);
        }
        periodic.add(new Periodic(millis, work));
    }

    /** Runs the periodic work due at the clock's time, in the order registered; nothing before the clock started. */
    void runDue() {
        if (!started()) {
            return;
        }
        for (int i = 0; i < periodic.size(); i++) {
            Periodic p = periodic.get(i);
            if (latest >= p.due) {
                p.due = (Math.floorDiv(latest, p.interval) + 1) * p.interval;
                p.work.accept(latest);
            }
        }
    }

    /** Moves the clock to {@code eventTimeMillis} if that is later. */
    void observe(long eventTimeMillis) {
        if (eventTimeMillis > latest) {
            latest = eventTimeMillis;
        }
    }

    /** Whether the clock has taken an event time yet. */
    boolean started() {
        return latest != Long.MIN_VALUE;
    }

    /** The latest event time taken ({@link Long#MIN_VALUE} before the first). */
    long now() {
        return latest;
    }

    /** Periodic work: its interval and the clock time it is next due at (at first any: due at once, as a punctuation aligned to 0). */
    private static final class Periodic {
        final long interval;
        final LongConsumer work;
        long due;

        Periodic(long interval, LongConsumer work) {
            this.interval = interval;
            this.work = work;
            this.due = Long.MIN_VALUE;
        }
    }

    /** A processor that keeps an event clock. */
    interface Owner {
        /** The processor's clock (a new one after each {@code init}). */
        EventClock eventClock();
    }
}
