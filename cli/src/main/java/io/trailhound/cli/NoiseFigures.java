package io.trailhound.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Severity;

/**
 * The noise figures of a scanned benign month: alerts by severity, per day and per rule. An alert counts on the day of its
 * first event.
 *
 * @param records  records scanned
 * @param days     days of the month
 * @param alerts   the scan's alerts
 */
record NoiseFigures(long records, int days, List<Alert> alerts) {

    /**
     * One rule's alerts.
     *
     * @param ruleId   rule id
     * @param severity the rule's alerts' severity
     * @param count    alerts
     */
    record RuleCount(String ruleId, Severity severity, long count) {
    }

    long count(Severity severity) {
        return alerts.stream().filter(a -> a.getSeverity() == severity).count();
    }

    long atLeast(Severity floor) {
        return alerts.stream().filter(a -> a.getSeverity().compareTo(floor) >= 0).count();
    }

    /** Alerts of {@code severity} on each day, day 0 first. */
    long[] perDay(Severity severity, Instant start) {
        long[] days = new long[this.days];
        long startDay = start.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
        for (Alert a : alerts) {
            int day = (int) (a.getFirstSeen().atZone(ZoneOffset.UTC).toLocalDate().toEpochDay() - startDay);
            if (a.getSeverity() == severity && day >= 0 && day < this.days) {
                days[day]++;
            }
        }
        return days;
    }

    /** Rules by severity (highest first), then count (most first). */
    List<RuleCount> byRule() {
        Map<String, Map<Severity, Long>> counts = new HashMap<>();
        for (Alert a : alerts) {
            counts.computeIfAbsent(a.getRuleId(), k -> new EnumMap<>(Severity.class)).merge(a.getSeverity(), 1L, Long::sum);
        }
        return counts.entrySet().stream()
            .flatMap(e -> e.getValue().entrySet().stream().map(s -> new RuleCount(e.getKey(), s.getKey(), s.getValue())))
            .sorted(Comparator.comparing(RuleCount::severity).reversed().thenComparing(Comparator.comparingLong(RuleCount::count)
                .reversed()).thenComparing(RuleCount::ruleId))
            .collect(Collectors.toList());
    }
}
