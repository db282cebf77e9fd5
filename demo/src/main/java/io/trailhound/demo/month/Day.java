package io.trailhound.demo.month;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One day of the month being generated: its date, whether people work, and the records its activities add. */
final class Day {

    private final int index;
    private final Instant midnight;
    private final List<MonthEvent> events = new ArrayList<>();

    Day(int index, Instant midnight) {
        this.index = index;
        this.midnight = midnight;
    }

    /** 0 for the first day of the month. */
    int index() {
        return index;
    }

    Instant midnight() {
        return midnight;
    }

    boolean workday() {
        DayOfWeek dow = midnight.atZone(ZoneOffset.UTC).getDayOfWeek();
        return dow != DayOfWeek.SATURDAY && dow != DayOfWeek.SUNDAY;
    }

    /** {@code minutes} after midnight UTC, plus {@code seconds}. */
    Instant at(double minutes) {
        return midnight.plus(Duration.ofMillis((long) (minutes * 60_000)));
    }

    /** A time in the office hours of the US East coast (09:00-18:30 EDT), as minutes after midnight UTC. */
    double workMinute(Draw draw) {
        return 13 * 60 + draw.nextInt(9 * 60 + 30) + draw.nextInt(60) / 60.0;
    }

    void add(Call call, Draw draw) {
        if (!call.time().isBefore(midnight) && call.time().isBefore(midnight.plus(Duration.ofDays(1)))) {
            events.add(call.build(draw));
        }
    }

    /** The day's records in time order (stable among equal times). */
    List<MonthEvent> events() {
        List<MonthEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(MonthEvent::time));
        return sorted;
    }
}
