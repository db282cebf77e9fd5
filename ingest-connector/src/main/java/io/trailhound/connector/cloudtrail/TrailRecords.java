package io.trailhound.connector.cloudtrail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.trailhound.connector.OutputConfig;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Builds the Connect records of the log-file source: one raw record per CloudTrail event (value = its exact bytes,
 * headers naming its origin) and dead-letter records carrying the location and the reason.
 */
public final class TrailRecords {

    public static final String HEADER_LOCATION = DeadLetters.LOCATION;
    public static final String HEADER_BUCKET = "bucket";
    public static final String HEADER_KEY = "key";
    public static final String HEADER_INDEX = "index";
    public static final String HEADER_DELIVERY_TIME = "delivery.time";
    public static final String HEADER_REASON = DeadLetters.REASON;
    public static final String HEADER_OMITTED = "value.omitted";

    private final String topic;
    private final String deadLetterTopic;
    private final int maxRecordBytes;
    private final TrailLocation location;

    /** Records for {@code location}, written to {@code topic} and {@code deadLetterTopic}. */
    public TrailRecords(TrailLocation location, String topic, String deadLetterTopic, int maxRecordBytes) {
        this.location = location;
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * The record of element {@code index} of a file's {@code Records[]}, or a dead-letter record if it is too large; its
     * offset carries the partition's late-file window {@code files} (null: none).
     */
    public SourceRecord event(TrailPartition partition, StoredObject object, byte[] json, RecordSpan span, int index, boolean last,
                              RecentFiles files) {
        CloudTrailOffset offset = CloudTrailOffset.of(object.key(), index, last, files);
        if (span.length() > maxRecordBytes) {
            return deadLetter(partition, object, offset, "record of " + span.length() + " bytes exceeds max.record.bytes ("
                + maxRecordBytes + ")", null);
        }
        byte[] value = Arrays.copyOfRange(json, span.start(), span.end());
        byte[] key = span.eventId() == null ? null : span.eventId().getBytes(StandardCharsets.UTF_8);
        ConnectHeaders headers = origin(object);
        headers.addString(HEADER_INDEX, Integer.toString(index));
        return new SourceRecord(partition.sourcePartition(), offset.toMap(), topic, null, Schema.OPTIONAL_BYTES_SCHEMA, key,
            Schema.BYTES_SCHEMA, value, object.lastModified().toEpochMilli(), headers);
    }

    /**
     * A dead-letter record for a file (or one of its records) that could not be forwarded; {@code value} is the input as it
     * came when it fits, else null with a header saying so. Its offset moves the partition past the bad input.
     */
    public SourceRecord deadLetter(TrailPartition partition, StoredObject object, CloudTrailOffset offset, String reason, byte[] value) {
        ConnectHeaders headers = origin(object);
        if (offset.index() >= 0) {
            headers.addString(HEADER_INDEX, Long.toString(offset.index()));
        }
        headers.addString(HEADER_REASON, reason);
        headers.addString(DeadLetters.COMPONENT, OutputConfig.COMPONENT);
        byte[] kept = value != null && value.length <= maxRecordBytes ? value : null;
        if (kept == null) {
            headers.addString(HEADER_OMITTED, value == null ? "not kept" : "input of " + value.length + " bytes exceeds max.record.bytes");
        }
        return new SourceRecord(partition.sourcePartition(), offset.toMap(), deadLetterTopic, null, Schema.OPTIONAL_BYTES_SCHEMA,
            location.describe(object.key()).getBytes(StandardCharsets.UTF_8), Schema.OPTIONAL_BYTES_SCHEMA, kept,
            object.lastModified().toEpochMilli(), headers);
    }

    private ConnectHeaders origin(StoredObject object) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString(HEADER_LOCATION, location.describe(object.key()));
        if (location.s3()) {
            headers.addString(HEADER_BUCKET, location.bucket());
        }
        headers.addString(HEADER_KEY, object.key());
        headers.addString(HEADER_DELIVERY_TIME, object.lastModified().toString());
        return headers;
    }
}
