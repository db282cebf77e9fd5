package io.trailhound.detect.scan;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * A state store that the scan's pipelines share (#16 item 5), kept as versions: each write carries the version of the step
 * that made it (a record's place in the scan's order and the phase of its processing, {@link ScanPipeline}), and a read at a
 * version sees, for each key, the latest write before it, once every pipeline has gone past the versions before it. So the
 * pipelines, each running the principals of its share of the input, read exactly what one pipeline running all of them in
 * order would have read, whichever of them runs ahead.
 *
 * <p>Used for the stores that span principals: the credential lineage (a global store live, fed by the lineage topic; the
 * minted-keys store that the principal's task reads first holds the same writes sooner) and the instance addresses (per task
 * live, whole in the scan: an EC2 API call and the instance's own calls meet whatever their principals). Writes to them are
 * rare (a minted credential, an instance's address), reads mostly too (an alert's chain, an instance credential's call).
 *
 * <p>Versions older than every pipeline's progress and the incident stage's are folded into the latest of them, and a key whose
 * latest version is a deletion every reader is past is dropped, so the store keeps one value per live key plus what is still
 * in flight (before, a deleted key kept its last value and the deletion for the rest of the scan: the lineage store of a
 * 10,000,000-record scan grew by every credential ever minted until the heap was full).
 */
final class SharedStore {

    /** A deleted key's value. */
    private static final Object TOMBSTONE = new Object();
    private static final long PARK_NANOS = 20_000L;

    private final String name;
    private final ConcurrentSkipListMap<String, Versions> map = new ConcurrentSkipListMap<>(MapStore.UTF8_ORDER);
    /** Deletions published, oldest first as far as the pipelines' concurrent publishing allows: dropped once settled. */
    private final ConcurrentLinkedQueue<Deletion> deletions = new ConcurrentLinkedQueue<>();
    private final Progress progress;

    SharedStore(String name, Progress progress) {
        this.name = name;
        this.progress = progress;
    }

    String name() {
        return name;
    }

    /** The value of {@code key} before {@code version} (null: none or deleted); the caller has awaited the version. */
    Object get(String key, long version) {
        Versions v = map.get(key);
        Object value = v == null ? null : v.before(version);
        return value == TOMBSTONE ? null : value;
    }

    /** Every key's value before {@code version}, in key order (deleted keys left out). */
    void forEach(long version, BiConsumer<String, Object> action) {
        for (Map.Entry<String, Versions> e : map.entrySet()) {
            Object value = e.getValue().before(version);
            if (value != null && value != TOMBSTONE) {
                action.accept(e.getKey(), value);
            }
        }
    }

    /** Publishes {@code writes} (null: deleted) made at {@code version}. */
    void publish(Map<String, Object> writes, long version) {
        long settled = progress.min();
        for (Map.Entry<String, Object> w : writes.entrySet()) {
            Object value = w.getValue() == null ? TOMBSTONE : w.getValue();
            while (!map.computeIfAbsent(w.getKey(), k -> new Versions()).add(version, value, settled)) {
                // dropped by another thread's settled deletion since it was looked up: a new entry takes the write
                Thread.onSpinWait();
            }
            if (value == TOMBSTONE) {
                deletions.add(new Deletion(w.getKey(), version));
            }
        }
        dropSettledDeletions(settled);
    }

    /** Keys of the store (deleted ones whose deletion is not yet settled included), for tests. */
    int keys() {
        return map.size();
    }

    /** Drops the keys whose latest version is a deletion before {@code settled}: no reader can see anything else of them. */
    private void dropSettledDeletions(long settled) {
        for (Deletion d = deletions.peek(); d != null && d.version() <= settled; d = deletions.peek()) {
            if (!deletions.remove(d)) {
                continue;
            }
            Versions v = map.get(d.key());
            if (v != null && v.dropIfDeletedBy(settled)) {
                map.remove(d.key(), v);
            }
        }
    }

    /** A key deleted at a version. */
    private record Deletion(String key, long version) {
    }

    /** The values of one key by version, oldest first. */
    private static final class Versions {
        private long[] versions = new long[2];
        private Object[] values = new Object[2];
        private int size;
        /** Taken out of the map: a writer that still holds it must add to a new entry. */
        private boolean dropped;

        synchronized Object before(long version) {
            for (int i = size - 1; i >= 0; i--) {
                if (versions[i] < version) {
                    return values[i];
                }
            }
            return null;
        }

        /** Marks these versions dropped if the latest is a deletion at or before {@code settled}; whether it did. */
        synchronized boolean dropIfDeletedBy(long settled) {
            if (size > 0 && values[size - 1] == TOMBSTONE && versions[size - 1] <= settled) {
                dropped = true;
            }
            return dropped;
        }

        /** Adds {@code value} at {@code version}; false when these versions were dropped from the map (nothing added). */
        synchronized boolean add(long version, Object value, long settled) {
            if (dropped) {
                return false;
            }
            // versions every reader is past: only the latest of them can still be read
            int drop = 0;
            while (drop + 1 < size && versions[drop + 1] <= settled) {
                drop++;
            }
            if (drop > 0) {
                System.arraycopy(versions, drop, versions, 0, size - drop);
                System.arraycopy(values, drop, values, 0, size - drop);
                Arrays.fill(values, size - drop, size, null);
                size -= drop;
            }
            if (size == versions.length) {
                versions = Arrays.copyOf(versions, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            // pipelines publish concurrently: keep the versions in order; the same version again (a purge every pipeline
            // makes) replaces
            int at = size;
            while (at > 0 && versions[at - 1] > version) {
                at--;
            }
            if (at > 0 && versions[at - 1] == version) {
                values[at - 1] = value;
                return true;
            }
            System.arraycopy(versions, at, versions, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            versions[at] = version;
            values[at] = value;
            size++;
            return true;
        }
    }

    /**
     * How far each pipeline (and the incident stage, last) has gone: the version up to which everything it writes is
     * published. A reader at a version waits until every other pipeline is past the versions before it.
     */
    static final class Progress {
        private final AtomicLongArray done;
        private volatile RuntimeException aborted;

        /** Progress of {@code pipelines} pipelines and the incident stage, none yet. */
        Progress(int pipelines) {
            done = new AtomicLongArray(pipelines + 1);
            for (int i = 0; i <= pipelines; i++) {
                done.set(i, -1L);
            }
        }

        /** Pipeline (or stage) {@code index} has published everything up to {@code version}. */
        void set(int index, long version) {
            done.lazySet(index, version);
        }

        /** Waits until every pipeline but {@code self} has published everything up to {@code version} (the stage is not waited for). */
        void await(int self, long version) {
            int pipelines = done.length() - 1;
            for (int i = 0; i < pipelines; i++) {
                if (i == self) {
                    continue;
                }
                int spins = 0;
                while (done.get(i) < version) {
                    if (aborted != null) {
                        throw new IllegalStateException("scan stopped", aborted);
                    }
                    if (++spins < 100) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.parkNanos(PARK_NANOS);
                    }
                }
            }
        }

        /** The least progress of all (pipelines and the incident stage): no reader reads before it any more. */
        long min() {
            long min = Long.MAX_VALUE;
            for (int i = 0; i < done.length(); i++) {
                min = Math.min(min, done.get(i));
            }
            return min;
        }

        /** Stops every waiting reader (a pipeline failed). */
        void abort(RuntimeException cause) {
            aborted = cause;
        }
    }
}
