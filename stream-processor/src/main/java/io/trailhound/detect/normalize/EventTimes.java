package io.trailhound.detect.normalize;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Optional;

/**
 * Parses the timestamp shapes found in CloudTrail and GuardDuty data: ISO-8601 with a zone ({@code 2024-01-02T03:04:05Z},
 * optional fraction or offset) and the zone-less {@code 2022-09-27 17:09:18[.721]} that exports write, read as UTC.
 */
public final class EventTimes {

    private static final DateTimeFormatter SPACED = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private EventTimes() {
    }

    /** The instant {@code text} names, or empty when it is blank or in no known shape. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String s = text.trim();
        Instant common = commonShape(s);
        if (common != null) {
            return Optional.of(common);
        }
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException ignored) {
            // not ISO with a zone: try the other shapes
        }
        try {
            return Optional.of(LocalDateTime.parse(s, SPACED).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // not the spaced shape either
        }
        try {
            return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }

    /**
     * CloudTrail's own shape, {@code 2024-01-02T03:04:05Z}, optionally with a fraction of up to 9 digits, read without the
     * general parser (it is on every event's path); null when {@code s} has another shape or out-of-range fields, for the
     * general parsers to judge.
     */
    static Instant commonShape(String s) {
        int n = s.length();
        if (!commonSeparators(s)) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null;
        }
        int nanos = fraction;
        for (int i = n - 1 - 20; n > 20 && i < 9; i++) {
            nanos *= 10;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    private static boolean commonSeparators(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || n == 21 || s.charAt(n - 1) != 'Z' || (n > 20 && s.charAt(19) != '.')) {
            return false;
        }
        return s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':' && s.charAt(16) == ':';
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
