package io.trailhound.detect.topology;

/**
 * A processor that judges ages on the latest event time it has seen (its event clock) rather than on the task's stream time,
 * which the raw topics' append times set. An in-process runtime that splits the principals over several pipelines but must
 * behave as one task ({@code trailhound scan}) shows each such processor the event times of the records another pipeline
 * processes, through {@link DetectionProcessors#observeEventTime}.
 */
interface EventClock {

    /** Moves the clock to {@code eventTimeMillis} if that is later. */
    void observeEventTime(long eventTimeMillis);
}
