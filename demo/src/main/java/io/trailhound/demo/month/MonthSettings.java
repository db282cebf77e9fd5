package io.trailhound.demo.month;

import java.time.Instant;

/**
 * What to generate: how many days from which midnight (UTC), and the seed every random choice derives from.
 *
 * @param start first day's midnight, UTC
 * @param days  number of days
 * @param seed  seed of all random choices; the same settings always give the same records
 */
public record MonthSettings(Instant start, int days, long seed) {

    /** The month: 30 days from 2026-10-01, seed 13. */
    public static final MonthSettings DEFAULT = new MonthSettings(Instant.parse("2026-10-01T00:00:00Z"), 30, 13);

    /** Checks the values. */
    public MonthSettings {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, was " + days);
        }
    }

    /** The default month with another length and seed. */
    public static MonthSettings of(int days, long seed) {
        return new MonthSettings(DEFAULT.start(), days, seed);
    }
}
