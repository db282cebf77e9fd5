package io.trailhound.detect.topology;

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

    /** A processor that keeps an event clock. */
    interface Owner {
        /** The processor's clock (a new one after each {@code init}). */
        EventClock eventClock();
    }
}
