package io.trailhound.connector.cloudtrail;

/**
 * Where one element of a trail file's {@code Records[]} array sits in the decompressed file: bytes {@code [start, end)},
 * plus its {@code eventID} when the element has one as a plain string (used only as a partitioning key).
 */
public record RecordSpan(int start, int end, String eventId) {

    /** Number of bytes of the element. */
    public int length() {
        return end - start;
    }
}
