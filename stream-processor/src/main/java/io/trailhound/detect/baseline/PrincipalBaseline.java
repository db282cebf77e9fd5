package io.trailhound.detect.baseline;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.trailhound.detect.rules.EventView;

/**
 * What one principal has done: when it was first seen and, per {@link BaselineDimension}, the values seen with their last
 * time. Bounded: at most {@link #CAP} values per dimension (the least recently seen go first) and values unseen for
 * {@link #FORGET_AFTER} are dropped.
 *
 * <p>Last-seen times are kept to {@link #RESOLUTION}: an event that brings no new value and moves no time forward by at least
 * that much leaves the baseline {@linkplain #changed() unchanged}, so a busy principal's baseline is rewritten (and
 * changelogged) a few times an hour instead of on every event. Both uses of those times — the least-recently-seen eviction and
 * the 90-day expiry — are indifferent to an hour.
 *
 * <p>Stored in a compact binary form (version byte, then varints and length-prefixed UTF-8), read back by {@link #read(byte[])}.
 */
public final class PrincipalBaseline {

    /** Most values kept per dimension. */
    public static final int CAP = 32;
    /** Values unseen for this long are forgotten. */
    public static final Duration FORGET_AFTER = Duration.ofDays(90);
    /** Granularity of the last-seen times: a time moves forward only by at least this much. */
    public static final Duration RESOLUTION = Duration.ofHours(1);

    /** Version 2 adds the time of the latest novelty per dimension; version 1 is still read. */
    private static final byte VERSION = 2;
    private static final byte VERSION_1 = 1;
    private static final BaselineDimension[] DIMENSIONS = BaselineDimension.values();

    private final long firstSeen;
    private long lastSeen;
    private final Map<BaselineDimension, Map<String, Long>> values;
    /** Event time of the latest value new after learning, per dimension: corroborating evidence for other rules. */
    private final Map<BaselineDimension, Long> novelties;
    private boolean changed;
    /**
     * Dimensions whose value map gained or lost a value since it was read or {@linkplain #asRead() made as read}: only those
     * can iterate differently from a map read back from {@link #write()} (replacing a value's time keeps a map's layout).
     */
    private final Set<BaselineDimension> reshaped = EnumSet.noneOf(BaselineDimension.class);

    private PrincipalBaseline(long firstSeen, long lastSeen, Map<BaselineDimension, Map<String, Long>> values,
                              Map<BaselineDimension, Long> novelties) {
        this.firstSeen = firstSeen;
        this.lastSeen = lastSeen;
        this.values = values;
        this.novelties = novelties;
    }

    /** A baseline starting at {@code time} (new, so {@linkplain #changed() changed}). */
    public static PrincipalBaseline startingAt(Instant time) {
        PrincipalBaseline b = new PrincipalBaseline(time.toEpochMilli(), time.toEpochMilli(), new EnumMap<>(BaselineDimension.class),
                new EnumMap<>(BaselineDimension.class));
        b.changed = true;
        return b;
    }

    /** Reads a stored baseline; fails with {@link IllegalArgumentException} on bytes that are not one. */
    public static PrincipalBaseline read(byte[] stored) {
        try {
            ByteBuffer in = ByteBuffer.wrap(stored);
            byte version = in.get();
            if (version != VERSION && version != VERSION_1) {
                throw new IllegalArgumentException("unknown baseline format version " + stored[0]);
            }
            long first = readVarLong(in);
            long last = first + readVarLong(in);
            Map<BaselineDimension, Long> novelties = new EnumMap<>(BaselineDimension.class);
            if (version == VERSION) {
                int n = in.get();
                for (int i = 0; i < n; i++) {
                    BaselineDimension d = DIMENSIONS[in.get()];
                    novelties.put(d, last - unzigzag(readVarLong(in)));
                }
            }
            Map<BaselineDimension, Map<String, Long>> values = new EnumMap<>(BaselineDimension.class);
            while (in.hasRemaining()) {
                BaselineDimension d = DIMENSIONS[in.get()];
                int n = (int) readVarLong(in);
                Map<String, Long> seen = valueMap(n);
                for (int i = 0; i < n; i++) {
                    byte[] utf8 = new byte[(int) readVarLong(in)];
                    in.get(utf8);
                    seen.put(new String(utf8, StandardCharsets.UTF_8), last - unzigzag(readVarLong(in)));
                }
                values.put(d, seen);
            }
            return new PrincipalBaseline(first, last, values, novelties);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("unreadable baseline (" + stored.length + " bytes)", e);
        }
    }

    /**
     * When the baseline stored as {@code stored} last saw its principal, read from its header alone (what {@link #lastSeen()}
     * of {@link #read(byte[])} gives, without reading its values); fails with {@link IllegalArgumentException} on bytes whose
     * header is not a baseline's.
     */
    public static long lastSeenOf(byte[] stored) {
        try {
            ByteBuffer in = ByteBuffer.wrap(stored);
            byte version = in.get();
            if (version != VERSION && version != VERSION_1) {
                throw new IllegalArgumentException("unknown baseline format version " + stored[0]);
            }
            long first = readVarLong(in);
            return first + readVarLong(in);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("unreadable baseline (" + stored.length + " bytes)", e);
        }
    }

    /** The map {@link #read} reads {@code n} values of a dimension into. */
    private static Map<String, Long> valueMap(int n) {
        return new HashMap<>(Math.max(4, n * 2));
    }

    /**
     * Makes this baseline, after {@link #write()}, exactly what {@link #read(byte[])} gives from those bytes: its value maps
     * built as reading builds them (same capacity, values added in the order {@code write} wrote them), so they iterate, and
     * their next write and least-recently-seen eviction behave, as those of the baseline read back would; without decoding the
     * bytes. Returns this baseline.
     */
    public PrincipalBaseline asRead() {
        for (Map.Entry<BaselineDimension, Map<String, Long>> e : values.entrySet()) {
            if (!reshaped.contains(e.getKey())) {
                // read, or made as read, and only times replaced since: already laid out as a read would lay it out
                continue;
            }
            Map<String, Long> seen = e.getValue();
            Map<String, Long> reread = valueMap(seen.size());
            // write() wrote them in this iteration order, and read() adds them one by one in the order it finds them
            for (Map.Entry<String, Long> value : seen.entrySet()) {
                reread.put(value.getKey(), value.getValue());
            }
            e.setValue(reread);
        }
        reshaped.clear();
        return this;
    }

    /** The stored form: times as varint deltas (last seen after first seen, each value's time from the last seen, zigzag). */
    public byte[] write() {
        Out out = new Out(64 + values.size() * 64);
        out.write(VERSION);
        writeVarLong(out, firstSeen);
        writeVarLong(out, lastSeen - firstSeen);
        out.write(novelties.size());
        novelties.forEach((d, time) -> {
            out.write(d.ordinal());
            writeVarLong(out, zigzag(lastSeen - time));
        });
        values.forEach((d, seen) -> {
            out.write(d.ordinal());
            writeVarLong(out, seen.size());
            seen.forEach((value, time) -> {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                writeVarLong(out, utf8.length);
                out.write(utf8, 0, utf8.length);
                writeVarLong(out, zigzag(lastSeen - time));
            });
        });
        return out.toByteArray();
    }

    /** True when the last {@link #observe} (or creation) changed what {@link #write()} would store. */
    public boolean changed() {
        return changed;
    }

    /** When the principal was first seen. */
    public Instant firstSeen() {
        return Instant.ofEpochMilli(firstSeen);
    }

    /** When the principal was last seen (latest event time observed, to {@link #RESOLUTION}). */
    public Instant lastSeen() {
        return Instant.ofEpochMilli(lastSeen);
    }

    /** The values known for {@code dimension}. */
    public Set<String> known(BaselineDimension dimension) {
        return Collections.unmodifiableSet(values.getOrDefault(dimension, Map.of()).keySet());
    }

    /** True when the principal has been idle for longer than {@link #FORGET_AFTER} at {@code now}: its baseline can go. */
    public boolean idleAt(long now) {
        return now - lastSeen > FORGET_AFTER.toMillis();
    }

    /**
     * The dimensions in which the principal showed a value new after learning within {@code window} before {@code now} (this
     * event's novelties included, once {@link #observe} has seen it): corroborating evidence, since an intruder's first call
     * from a new network teaches the baseline that network before the role hop that follows it.
     */
    public List<BaselineDimension> recentNovelties(Instant now, Duration window) {
        List<BaselineDimension> recent = new ArrayList<>(2);
        long from = now.toEpochMilli() - window.toMillis();
        novelties.forEach((d, time) -> {
            if (time >= from && time <= now.toEpochMilli()) {
                recent.add(d);
            }
        });
        return recent;
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
        changed = false;
        if (now - lastSeen >= RESOLUTION.toMillis()) {
            lastSeen = now;
            changed = true;
        }
        boolean learned = now - firstSeen >= learning.toMillis() && now > firstSeen;
        List<Novelty> novel = List.of();
        for (BaselineDimension d : DIMENSIONS) {
            Optional<String> value = d.valueOf(view);
            if (value.isEmpty()) {
                continue;
            }
            Map<String, Long> seen = values.computeIfAbsent(d, k -> new HashMap<>());
            Long known = seen.get(value.get());
            if (known == null) {
                if (learned) {
                    long days = Duration.ofMillis(now - firstSeen).toDays();
                    novel = novel.isEmpty() ? new ArrayList<>() : novel;
                    novel.add(new Novelty(d, value.get(), "first " + d.id() + " " + value.get() + " in " + days
                            + " days of history (since " + firstSeen() + "); " + seen.size() + " known value(s)"));
                    novelties.put(d, now);
                }
                seen.put(value.get(), now);
                changed = true;
                reshaped.add(d);
                bound(seen, now);
            } else if (now - known >= RESOLUTION.toMillis()) {
                seen.put(value.get(), now);
                changed = true;
                if (bound(seen, now)) {
                    reshaped.add(d);
                }
            }
        }
        return novel;
    }

    /** Drops the values unseen for {@link #FORGET_AFTER} and the least recently seen beyond {@link #CAP}; true if any went. */
    private static boolean bound(Map<String, Long> seen, long now) {
        int before = seen.size();
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue() > FORGET_AFTER.toMillis()) {
                it.remove();
            }
        }
        while (seen.size() > CAP) {
            String oldest = null;
            long oldestTime = Long.MAX_VALUE;
            for (Map.Entry<String, Long> e : seen.entrySet()) {
                if (e.getValue() < oldestTime) {
                    oldest = e.getKey();
                    oldestTime = e.getValue();
                }
            }
            seen.remove(oldest);
        }
        return seen.size() != before;
    }

    private static void writeVarLong(Out out, long value) {
        if (value < 0) {
            throw new IllegalStateException("negative baseline field " + value);
        }
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static long readVarLong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint in baseline");
    }

    /** A {@link ByteArrayOutputStream} without the lock it takes per byte: a baseline is written by one thread. */
    private static final class Out extends ByteArrayOutputStream {

        Out(int size) {
            super(size);
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + len));
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }
}
