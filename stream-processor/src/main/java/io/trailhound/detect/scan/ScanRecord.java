package io.trailhound.detect.scan;

import java.util.Comparator;

import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.detect.normalize.Normalized;

/**
 * A raw record of the scan, normalized: its place in the input, the timestamp the scan gives it (its event time as read from
 * the raw JSON: {@code eventTime}, {@code @timestamp}, {@code updatedAt} or {@code createdAt}; 0 when none is readable), a hash
 * of its bytes, the raw topic it belongs to and what the normalize processor forwarded.
 *
 * @param timestamp event time, epoch milliseconds
 * @param hash      64-bit FNV-1a of the raw bytes
 * @param part      input part (file) number
 * @param index     record number within the part
 * @param topic     raw topic (CloudTrail or GuardDuty)
 * @param offset    number of the record in the whole input
 * @param normalized the normalize processor's output (key, normalized value without the raw bytes, event-time timestamp,
 *                   headers)
 */
record ScanRecord(long timestamp, long hash, int part, int index, String topic, long offset,
                  Record<String, Normalized> normalized) {

    /**
     * The scan's order: event time, then the records' hashes among equal times (so the same records in any order give the same
     * output), then their place.
     */
    static final Comparator<ScanRecord> ORDER = Comparator.comparingLong(ScanRecord::timestamp).thenComparingLong(ScanRecord::hash)
            .thenComparingInt(ScanRecord::part).thenComparingInt(ScanRecord::index);

    /** What the normalize processor forwarded for {@code record} unless it was rejected (a dead letter), else null. */
    static Record<String, Normalized> accepted(ScanRecord record) {
        Record<String, Normalized> n = record.normalized();
        return n == null || n.value() instanceof Normalized.Rejected ? null : n;
    }

    /** A 64-bit FNV-1a hash of the bytes. */
    static long hash(byte[] raw) {
        long h = 0xcbf29ce484222325L;
        for (byte b : raw) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
