package io.trailhound.connector.cloudtrail;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
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

    private RecentFiles(TrailPartition partition, Duration window, String after, NavigableSet<String> recent) {
        this.partition = partition;
        this.window = window;
        this.after = after;
        this.recent = Collections.unmodifiableNavigableSet(recent);
        this.recentText = String.join(",", recent);
    }

    /**
     * The state a partition resumes in: from an offset written with a window (its {@code after} and {@code recent}), else
     * (no offset, or one without them: an older connector's, or one an operator set) everything up to the offset's key, or
     * up to {@code floor} (the start date), counts as read.
     */
    static RecentFiles resume(TrailPartition partition, Duration window, String floor, CloudTrailOffset offset) {
        if (offset == null || !offset.key().startsWith(partition.keyPrefix())) {
            return new RecentFiles(partition, window, floor, new TreeSet<>());
        }
        if (offset.recent() == null) {
            return new RecentFiles(partition, window, max(floor, offset.key()), new TreeSet<>());
        }
        NavigableSet<String> ids = new TreeSet<>();
        for (String id : offset.recent().split(",")) {
            if (ID.matcher(id).matches()) {
                ids.add(id);
            }
        }
        String stored = offset.after() != null && offset.after().startsWith(partition.keyPrefix()) ? offset.after() : floor;
        return new RecentFiles(partition, window, max(floor, stored), ids);
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
            return new RecentFiles(partition, window, max(after, key), new TreeSet<>(recent));
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
        return new RecentFiles(partition, window, max(after, windowKey), ids);
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
