package io.trailhound.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time as the analyst's commands take it: an ISO-8601 instant ({@code 2026-11-02T10:15:00Z}), a date-time with an
 * offset, a date (midnight UTC), {@code now}, or a duration ago ({@code PT1H}, {@code P2D}, also written {@code 1h}, {@code 2d},
 * {@code 30m}).
 */
final class ReplayTime implements ITypeConverter<Instant> {

    private final Clock clock;

    ReplayTime() {
        this(Clock.systemUTC());
    }

    ReplayTime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant convert(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("now")) {
            return clock.instant();
        }
        try {
            if (v.startsWith("P") || v.startsWith("p") || v.startsWith("-P")) {
                return clock.instant().minus(Duration.parse(v.startsWith("-") ? v.substring(1) : v).abs());
            }
            if (v.matches("\\d+[smhdSMHD]")) {
                return clock.instant().minus(shortDuration(v));
            }
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (v.endsWith("Z") || v.endsWith("z")) {
                return Instant.parse(v.toUpperCase(Locale.ROOT));
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a time: use an ISO-8601 instant (2026-11-02T10:15:00Z), "
                + "a date (2026-11-02), now, or a duration ago (PT1H, P2D, 30m, 2h, 7d)");
        }
    }

    private static Duration shortDuration(String v) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
