package io.trailhound.detect.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Periodic work on the event clock: when it runs, as Kafka Streams' STREAM_TIME punctuation aligned to 0 would. */
class EventClockTest {

    private static final long MINUTE = 60_000;

    @Test
    void shouldRunAtOnceThenAtEachMarkPassedOnceHoweverManyPeriodsPassed() {
        EventClock clock = new EventClock();
        List<String> runs = new ArrayList<>();
        clock.every(Duration.ofMinutes(15), now -> runs.add("purge@" + now / MINUTE));
        clock.every(Duration.ofMinutes(1), now -> runs.add("tick@" + now / MINUTE));

        clock.runDue();
        assertEquals(List.of(), runs, "nothing before the clock started");

        clock.observe(100 * MINUTE + 30_000);
        clock.runDue();
        assertEquals(List.of("purge@100", "tick@100"), runs, "due at once, in the order registered");

        runs.clear();
        clock.observe(100 * MINUTE + 59_999);
        clock.runDue();
        clock.observe(90 * MINUTE);
        clock.runDue();
        assertEquals(List.of(), runs, "no mark passed; an older event does not move the clock");

        clock.observe(101 * MINUTE);
        clock.runDue();
        clock.runDue();
        assertEquals(List.of("tick@101"), runs, "the next minute mark, once");

        runs.clear();
        clock.observe(147 * MINUTE + 1);
        clock.runDue();
        assertEquals(List.of("purge@147", "tick@147"), runs, "many periods passed: each runs once, at the clock's time");

        runs.clear();
        clock.observe(148 * MINUTE - 1);
        clock.runDue();
        assertEquals(List.of(), runs, "the next marks are after the time they last ran: 148 and 150");
        clock.observe(150 * MINUTE);
        clock.runDue();
        assertEquals(List.of("purge@150", "tick@150"), runs);
    }

    @Test
    void shouldRefuseAnIntervalBelowAMillisecond() {
        assertThrows(IllegalArgumentException.class, () -> new EventClock().every(Duration.ofNanos(10), now -> { }));
    }
}
