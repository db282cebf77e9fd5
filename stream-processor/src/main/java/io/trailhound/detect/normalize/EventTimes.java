package io.trailhound.detect.normalize;

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
}
