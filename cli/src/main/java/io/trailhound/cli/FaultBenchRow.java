package io.trailhound.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's line of {@code trailhound bench faults}: what went in, what came out, what was lost or duplicated, and whether
 * the scenario held (nothing lost or duplicated, and its own condition true).
 */
record FaultBenchRow(String scenario, long eventsIn, long eventsProcessed, Counts alerts, Counts actions, long deadLetters,
                     long recoverMillis, boolean conditionHeld, String condition) {

    /** Expected, seen (records, duplicates included), expected but never seen, and seen more than once. */
    record Counts(long expected, long seen, long lost, long duplicated) {

        static final Counts NONE = new Counts(0, 0, 0, 0);

        /**
         * Compares the keys seen with the keys expected, as multisets: an expected occurrence never seen is lost, an occurrence
         * seen beyond those expected is a duplicate.
         */
        static Counts of(Collection<String> expected, Collection<String> seen) {
            Map<String, Long> balance = new HashMap<>();
            expected.forEach(key -> balance.merge(key, 1L, Long::sum));
            seen.forEach(key -> balance.merge(key, -1L, Long::sum));
            long lost = balance.values().stream().filter(n -> n > 0).mapToLong(Long::longValue).sum();
            long duplicated = balance.values().stream().filter(n -> n < 0).mapToLong(n -> -n).sum();
            return new Counts(expected.size(), seen.size(), lost, duplicated);
        }
    }

    boolean held() {
        return conditionHeld && alerts.lost() == 0 && alerts.duplicated() == 0 && actions.lost() == 0 && actions.duplicated() == 0;
    }

    /** The header of the table. */
    static void header(PrintWriter out) {
        out.printf("%-22s %9s %9s %8s %8s %6s %6s %8s %8s %6s %7s %10s  %-4s  %s%n", "scenario", "events_in", "processed",
            "alerts_x", "alerts_e", "lost", "dup", "acts_x", "acts_e", "dup", "dead", "recover_ms", "held", "condition");
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%-22s %9d %9d %8d %8d %6d %6d %8d %8d %6d %7d %10s  %-4s  %s%n", scenario, eventsIn, eventsProcessed,
            alerts.expected(), alerts.seen(), alerts.lost(), alerts.duplicated(), actions.expected(), actions.seen(),
            actions.duplicated(), deadLetters, recoverMillis < 0 ? "-" : Long.toString(recoverMillis), held() ? "yes" : "NO", condition);
    }

    /** The last line: {@code faults: scenarios=<n> held=<n> alerts_lost=<n> alerts_duplicated=<n> actions_duplicated=<n>}. */
    static String summary(List<FaultBenchRow> rows) {
        return String.format(Locale.ROOT, "faults: scenarios=%d held=%d alerts_lost=%d alerts_duplicated=%d actions_duplicated=%d",
            rows.size(), rows.stream().filter(FaultBenchRow::held).count(), rows.stream().mapToLong(r -> r.alerts().lost()).sum(),
            rows.stream().mapToLong(r -> r.alerts().duplicated()).sum(), rows.stream().mapToLong(r -> r.actions().duplicated()).sum());
    }
}
