package io.trailhound.connector.cloudtrail;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns one downloaded trail file into its Connect records: one per event from {@code fromIndex} on, or one dead letter. */
final class TrailFileReader {

    private static final Logger LOG = LoggerFactory.getLogger(TrailFileReader.class);

    private final TrailLocation location;
    private final TrailRecords records;
    private final long maxFileBytes;

    TrailFileReader(TrailLocation location, TrailRecords records, long maxFileBytes) {
        this.location = location;
        this.records = records;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * The records of {@code object}, whose raw (gzip) content is {@code raw}; their offsets carry {@code files}, the
     * partition's late-file window once this file is read (null: none).
     */
    List<SourceRecord> read(TrailPartition partition, StoredObject object, byte[] raw, int fromIndex, RecentFiles files) {
        byte[] json;
        List<RecordSpan> spans;
        try {
            json = TrailFileDecoder.gunzip(raw, maxFileBytes);
            spans = RecordSplitter.split(json);
        } catch (MalformedTrailFileException e) {
            LOG.warn("Dead-lettering {}: {}", location.describe(object.key()), e.getMessage());
            return List.of(records.deadLetter(partition, object, new CloudTrailOffset(object.key(), -1, true).within(files),
                e.getMessage(), raw));
        }
        int last = spans.size() - 1;
        List<SourceRecord> out = new ArrayList<>(Math.max(0, spans.size() - fromIndex));
        for (int i = fromIndex; i <= last; i++) {
            out.add(records.event(partition, object, json, spans.get(i), i, i == last, files));
        }
        LOG.debug("Read {} record(s) from {}", out.size(), location.describe(object.key()));
        return out;
    }
}
