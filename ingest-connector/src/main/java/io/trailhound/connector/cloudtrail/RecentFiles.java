package io.trailhound.connector.cloudtrail;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one account/region partition has read near its newest file, so that listing can start again a window earlier and
 * still find files CloudTrail delivered late with keys sorting before ones already read (up to ~15 minutes late, and a
 * previous day's files after midnight), without reading any file twice.
 *
 * <p>Every key up to and including {@link #after()} counts as read; of the keys after it, the ones in {@link #recent()} were
 * read. A listing starts after {@link #after()} and reads each key {@link #isNew}. Admitting a file moves {@code after} up
 * to {@code window} before the newest file's time (the {@code YYYYMMDDTHHMMZ} in CloudTrail's file names) and forgets the
 * recent files older than that, so the set, which travels in every record's source offset, stays as small as the window.
 *
 * <p>Notification mode also remembers the files of the window a stopped task left partway ({@link #partial()}: id and the
 * index of the last record written), so that a file whose notification comes back only after other files of its
 * account/region were read, and after another restart, still continues after its last record instead of starting again.
 * A partial file is forgotten once read to its end, or when the window passes it.
 * Immutable: {@link #admit} returns the next state, to be kept once the file was read.
 */
public final class RecentFiles {

    /** {@code <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz}: the time and the id (time_unique). */
    private static final Pattern FILE = Pattern.compile("\\d{12}_CloudTrail_[a-z0-9-]+_((\\d{8}T\\d{4}Z)_[^/]+)\\.json\\.gz");
    private static final Pattern ID = Pattern.compile("\\d{8}T\\d{4}Z_[^,/]+");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final TrailPartition partition;
    private final Duration window;
    private final String after;
    private final NavigableSet<String> recent;
    /** {@link #recent()}, joined once: every record of a file carries it in its offset. */
    private final String recentText;
    private final NavigableMap<String, Long> partial;
    private final String partialText;

    private RecentFiles(TrailPartition partition, Duration window, String after, NavigableSet<String> recent,
                        NavigableMap<String, Long> partial) {
        this.partition = partition;
        this.window = window;
        this.after = after;
        this.recent = Collections.unmodifiableNavigableSet(recent);
        this.recentText = String.join(",", recent);
        this.partial = Collections.unmodifiableNavigableMap(partial);
        this.partialText = partial.isEmpty() ? null
            : partial.entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * The state a partition resumes in: from an offset written with a window (its {@code after} and {@code recent}), else
     * (no offset, or one without them: an older connector's, or one an operator set) everything up to the offset's key, or
     * up to {@code floor} (the start date), counts as read.
     */
    static RecentFiles resume(TrailPartition partition, Duration window, String floor, CloudTrailOffset offset) {
        if (offset == null || !offset.key().startsWith(partition.keyPrefix())) {
            return new RecentFiles(partition, window, floor, new TreeSet<>(), new TreeMap<>());
        }
        NavigableMap<String, Long> partial = parsePartial(offset.partial());
        if (offset.recent() == null) {
            return new RecentFiles(partition, window, max(floor, offset.key()), new TreeSet<>(), partial);
        }
        NavigableSet<String> ids = new TreeSet<>();
        for (String id : offset.recent().split(",")) {
            if (ID.matcher(id).matches()) {
                ids.add(id);
            }
        }
        String stored = offset.after() != null && offset.after().startsWith(partition.keyPrefix()) ? offset.after() : floor;
        return new RecentFiles(partition, window, max(floor, stored), ids, partial);
    }

    private static NavigableMap<String, Long> parsePartial(String text) {
        NavigableMap<String, Long> partial = new TreeMap<>();
        if (text == null) {
            return partial;
        }
        for (String entry : text.split(",")) {
            int at = entry.lastIndexOf('@');
            if (at > 0 && ID.matcher(entry.substring(0, at)).matches()) {
                try {
                    long index = Long.parseLong(entry.substring(at + 1));
                    if (index >= 0) {
                        partial.put(entry.substring(0, at), index);
                    }
                } catch (NumberFormatException notAnIndex) {
                    // an entry an operator mistyped: that file, if it comes back, is read from its start
                }
            }
        }
        return partial;
    }

    /**
     * This state with {@code key} left partway after record {@code index} (a stopped task's last committed record): its
     * notification, when it comes back, continues after that record. Keys without a time in the name are not kept.
     */
    public RecentFiles continuing(String key, long index) {
        Optional<String> id = id(key);
        if (id.isEmpty() || index < 0 || recent.contains(id.get())) {
            return this;
        }
        NavigableMap<String, Long> next = new TreeMap<>(partial);
        next.merge(id.get(), index, Math::max);
        return new RecentFiles(partition, window, after, new TreeSet<>(recent), next);
    }

    /** The index of the last record written of {@code key} when a stopped task left it partway, else -1. */
    public long partialIndex(String key) {
        return id(key).map(id -> partial.getOrDefault(id, -1L)).orElse(-1L);
    }

    /** The files left partway ({@code id@index}, comma-separated), or null when there are none. */
    public String partial() {
        return partialText;
    }

    /** Every key up to this one counts as read: listing starts after it. */
    public String after() {
        return after;
    }

    /** The ids ({@code YYYYMMDDTHHMMZ_unique}) of the files read after {@link #after()}, comma-separated in key order. */
    public String recent() {
        return recentText;
    }

    /** How many files are remembered after {@link #after()}. */
    public int size() {
        return recent.size();
    }

    /** Whether {@code key} (a log file of this partition) has not been read yet. */
    public boolean isNew(String key) {
        if (key.compareTo(after) <= 0) {
            return false;
        }
        return id(key).map(id -> !recent.contains(id)).orElse(true);
    }

    /** Whether {@code key} is one of the files remembered as read after {@link #after()} (false for names without a time). */
    public boolean remembers(String key) {
        return id(key).map(recent::contains).orElse(false);
    }

    /** The state once {@code key} is read: it is remembered, and the window moves with the newest file. */
    public RecentFiles admit(String key) {
        Optional<String> id = id(key);
        if (id.isEmpty()) {
            // No time in the name (not CloudTrail's naming): without a time there is no window, only the key order.
            return new RecentFiles(partition, window, max(after, key), new TreeSet<>(recent), new TreeMap<>(partial));
        }
        NavigableSet<String> ids = new TreeSet<>(recent);
        ids.add(id.get());
        Instant newest = Instant.from(STAMP.parse(ids.last().substring(0, 14)));
        Instant start = newest.minus(window);
        String stamp = STAMP.format(start);
        // Keys of files named before the window's start sort before this synthetic key (same folder and name layout).
        String windowKey = partition.keyPrefix() + DAY.format(start) + "/" + partition.account() + "_CloudTrail_" + partition.region()
            + "_" + stamp;
        ids.headSet(stamp, false).clear();
        NavigableMap<String, Long> left = new TreeMap<>(partial);
        left.remove(id.get());
        left.headMap(stamp, false).clear();
        return new RecentFiles(partition, window, max(after, windowKey), ids, left);
    }

    /** The id of a CloudTrail log file key: its name's time and unique part; empty for other names. */
    static Optional<String> id(String key) {
        Matcher m = FILE.matcher(key.substring(key.lastIndexOf('/') + 1));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            STAMP.parse(m.group(2));
            return Optional.of(m.group(1));
        } catch (DateTimeException notATime) {
            // e.g. T0075Z: shaped like CloudTrail's time but none, so the name orders by key only.
            return Optional.empty();
        }
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
