package io.trailhound.detect.scan;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Puts the scan's input in event-time order within a bounded window instead of reading it all first: a record is held until the
 * latest event time read is more than the lateness past it, then released in {@link ScanRecord#ORDER}. Input that is in
 * order within the lateness (CloudTrail delivers a file per account and region every five minutes, its records a few minutes
 * apart; the scan reads trail files in the order of the time in their names) comes out exactly as a full sort would give it.
 * A record older than one already released is late: it is released at once (processed, not dropped: the processors see it
 * behind stream time, as a live task sees a late record) and counted.
 */
final class EventTimeWindow {

    private final long lateness;
    private final Consumer<ScanRecord> out;
    private final PriorityQueue<ScanRecord> held = new PriorityQueue<>(ScanRecord.ORDER);
    private long latest = Long.MIN_VALUE;
    /** The greatest record released so far: a record before it comes too late to be in order. */
    private ScanRecord maxReleased;
    private long late;
    private ScanRecord firstLate;

    EventTimeWindow(Duration lateness, Consumer<ScanRecord> out) {
        this.lateness = Math.min(Math.max(0, lateness.toMillis()), Long.MAX_VALUE / 4);
        this.out = out;
    }

    void add(ScanRecord r) {
        if (maxReleased != null && ScanRecord.ORDER.compare(r, maxReleased) < 0) {
            late++;
            if (firstLate == null) {
                firstLate = r;
            }
        }
        held.add(r);
        if (r.timestamp() > latest) {
            latest = r.timestamp();
        }
        // released strictly before latest - lateness: any record within the lateness of the latest sorts after them
        while (!held.isEmpty() && held.peek().timestamp() < latest - lateness) {
            release();
        }
    }

    /** Releases everything still held (end of input). */
    void flush() {
        while (!held.isEmpty()) {
            release();
        }
    }

    private void release() {
        ScanRecord r = held.poll();
        if (maxReleased == null || ScanRecord.ORDER.compare(r, maxReleased) > 0) {
            maxReleased = r;
        }
        out.accept(r);
    }

    /** Records that came later than the lateness allows (processed out of order). */
    long late() {
        return late;
    }

    /** The first late record, or null. */
    ScanRecord firstLate() {
        return firstLate;
    }

    /** Records held now. */
    int size() {
        return held.size();
    }
}
