package io.trailhound.detect.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.detect.rules.EventView;

/**
 * What one principal has done: when it was first seen and, per {@link BaselineDimension}, the values seen with their last
 * time. Bounded: at most {@link #CAP} values per dimension (the least recently seen go first) and values unseen for
 * {@link #FORGET_AFTER} are dropped. Stored as compact JSON.
 */
public final class PrincipalBaseline {

    /** Most values kept per dimension. */
    public static final int CAP = 32;
    /** Values unseen for this long are forgotten. */
    public static final Duration FORGET_AFTER = Duration.ofDays(90);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final long firstSeen;
    private long lastSeen;
    private final Map<BaselineDimension, ObjectNode> values;

    private PrincipalBaseline(long firstSeen, long lastSeen, Map<BaselineDimension, ObjectNode> values) {
        this.firstSeen = firstSeen;
        this.lastSeen = lastSeen;
        this.values = values;
    }

    /** A baseline starting at {@code time}. */
    public static PrincipalBaseline startingAt(Instant time) {
        return new PrincipalBaseline(time.toEpochMilli(), time.toEpochMilli(), new EnumMap<>(BaselineDimension.class));
    }

    /** Reads a stored baseline. */
    public static PrincipalBaseline read(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            Map<BaselineDimension, ObjectNode> values = new EnumMap<>(BaselineDimension.class);
            for (BaselineDimension d : BaselineDimension.values()) {
                JsonNode v = n.path("values").path(d.id());
                if (v.isObject()) {
                    values.put(d, (ObjectNode) v);
                }
            }
            long first = n.path("firstSeen").asLong();
            return new PrincipalBaseline(first, n.path("lastSeen").asLong(first), values);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable baseline", e);
        }
    }

    /** The stored form. */
    public String write() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("firstSeen", firstSeen);
        n.put("lastSeen", lastSeen);
        ObjectNode v = n.putObject("values");
        values.forEach((d, seen) -> v.set(d.id(), seen));
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the principal was first seen. */
    public Instant firstSeen() {
        return Instant.ofEpochMilli(firstSeen);
    }

    /** When the principal was last seen (latest event time observed). */
    public Instant lastSeen() {
        return Instant.ofEpochMilli(lastSeen);
    }

    /** True when the principal has been idle for longer than {@link #FORGET_AFTER} at {@code now}: its baseline can go. */
    public boolean idleAt(long now) {
        return now - lastSeen > FORGET_AFTER.toMillis();
    }

    /** A value new after the learning period: which dimension, what value, and what the baseline knew. */
    public record Novelty(BaselineDimension dimension, String value, String context) {
    }

    /**
     * Records {@code view}'s values and returns those that are new to a principal whose history is at least {@code learning}
     * long (nothing while it is still learning).
     */
    public List<Novelty> observe(EventView view, Duration learning) {
        long now = view.event().getEventTime().toEpochMilli();
        lastSeen = Math.max(lastSeen, now);
        boolean learned = now - firstSeen >= learning.toMillis() && now > firstSeen;
        List<Novelty> novel = new ArrayList<>();
        for (BaselineDimension d : BaselineDimension.values()) {
            Optional<String> value = d.valueOf(view);
            if (value.isEmpty()) {
                continue;
            }
            ObjectNode seen = values.computeIfAbsent(d, k -> MAPPER.createObjectNode());
            if (learned && !seen.has(value.get())) {
                long days = Duration.ofMillis(now - firstSeen).toDays();
                novel.add(new Novelty(d, value.get(), "first " + d.id() + " " + value.get() + " in " + days
                        + " days of history (since " + firstSeen() + "); " + seen.size() + " known value(s)"));
            }
            seen.put(value.get(), Math.max(now, seen.path(value.get()).asLong(0L)));
            bound(seen, now);
        }
        return novel;
    }

    private static void bound(ObjectNode seen, long now) {
        Iterator<Map.Entry<String, JsonNode>> it = seen.fields();
        while (it.hasNext()) {
            if (now - it.next().getValue().asLong() > FORGET_AFTER.toMillis()) {
                it.remove();
            }
        }
        while (seen.size() > CAP) {
            String oldest = null;
            long oldestTime = Long.MAX_VALUE;
            for (Iterator<Map.Entry<String, JsonNode>> i = seen.fields(); i.hasNext();) {
                Map.Entry<String, JsonNode> e = i.next();
                if (e.getValue().asLong() < oldestTime) {
                    oldest = e.getKey();
                    oldestTime = e.getValue().asLong();
                }
            }
            seen.remove(oldest);
        }
    }
}
