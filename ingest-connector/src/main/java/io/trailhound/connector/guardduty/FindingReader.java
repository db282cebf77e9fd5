package io.trailhound.connector.guardduty;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import io.trailhound.connector.AwsCall;
import io.trailhound.connector.AwsCallFailedException;
import io.trailhound.connector.AwsReaderThread;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.cloudtrail.MalformedTrailFileException;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.Condition;
import software.amazon.awssdk.services.guardduty.model.FindingCriteria;
import software.amazon.awssdk.services.guardduty.model.ListFindingsResponse;
import software.amazon.awssdk.services.guardduty.model.OrderBy;

/**
 * The GuardDuty source's API-mode reader thread, so that no AWS call runs on Connect's poll thread: finds the detectors,
 * then in rounds reads one page per detector (listing {@code updatedAt >= cursor} oldest first, fetching the page's
 * findings) into the task's bounded queue. After a page that moved the cursor the next listing starts again from the cursor
 * (never from a page token, which would skip findings that moved in the sort order while the pages were read). Each record
 * carries the cursor as of itself, so the committed offset is exactly that of the last record Connect wrote; records still
 * queued at a stop are read again from there. A failed call is classified by {@link AwsFailure} and retried in place with
 * {@link AwsRetries}' backoff, or stops the reader with the reason the task fails with.
 */
final class FindingReader extends AwsReaderThread {

    private static final Logger LOG = LoggerFactory.getLogger(FindingReader.class);

    private final GuardDutySourceConfig config;
    private final List<Scope> scopes;
    private final RawResponseCapture capture;
    private final OffsetStorageReader offsets;
    private final List<Detector> detectors = new ArrayList<>();

    FindingReader(GuardDutySourceConfig config, List<Scope> scopes, RawResponseCapture capture, OffsetStorageReader offsets,
                  BlockingQueue<SourceRecord> queue, AwsRetries retries) {
        super("GuardDuty source", "reading GuardDuty findings", queue, retries);
        this.config = config;
        this.scopes = List.copyOf(scopes);
        this.capture = capture;
        this.offsets = offsets;
    }

    /** An account (empty: the credentials' own) and region with its client. */
    record Scope(String account, String region, GuardDutyClient client) {
    }

    @Override
    protected void read() throws InterruptedException {
        discover();
        while (running()) {
            boolean pending = false;
            for (Detector detector : detectors) {
                if (running() && !detector.upToDate) {
                    detector.upToDate = readPage(detector);
                    pending |= !detector.upToDate;
                }
            }
            if (!pending) {
                detectors.forEach(Detector::newRound);
                pause(config.pollInterval());
            }
        }
    }

    /** Finds the detectors: the configured ones, or each region's from ListDetectors. */
    private void discover() throws InterruptedException {
        for (Scope scope : scopes) {
            List<String> ids = config.detectorIds(scope.region);
            if (ids.isEmpty()) {
                ids = call(() -> scope.client.listDetectorsPaginator(r -> { }).detectorIds().stream().toList(),
                    AwsCall.guardDuty("ListDetectors", scope.region, null));
            }
            for (String detectorId : ids) {
                // A default HashMap: the order Connect's REST offsets API reads partitions back in (see TrailPartition).
                Map<String, String> partition = new HashMap<>();
                // Detector ids are unique across accounts, so {region, detector} stays the partition with per-account roles too.
                partition.put("region", scope.region);
                partition.put("detector", detectorId);
                FindingCursor cursor = FindingCursor.fromMap(offsets.offset(partition), 0L);
                detectors.add(new Detector(scope.region, detectorId, partition, scope.client, cursor));
                LOG.info("GuardDuty detector {} in {}{} resumes at updatedAt {}", detectorId, scope.region,
                    scope.account.isEmpty() ? "" : " of account " + scope.account, Instant.ofEpochMilli(cursor.updatedAt()));
            }
        }
    }

    /** Reads one page of {@code detector}; true when it is read up to date for this round. */
    private boolean readPage(Detector detector) throws InterruptedException {
        FindingCriteria since = FindingCriteria.builder()
            .criterion(Map.of("updatedAt", Condition.builder().greaterThanOrEqual(detector.cursor.updatedAt()).build()))
            .build();
        String token = detector.token;
        ListFindingsResponse listed = call(() -> detector.client.listFindings(r -> r.detectorId(detector.id).findingCriteria(since)
            .sortCriteria(s -> s.attributeName("updatedAt").orderBy(OrderBy.ASC)).maxResults(config.pageSize()).nextToken(token)),
            AwsCall.guardDuty("ListFindings", detector.region, detector.id));
        String next = listed.nextToken() == null || listed.nextToken().isEmpty() ? null : listed.nextToken();
        List<RawFinding> fetched = listed.findingIds().isEmpty() ? List.of() : fetch(detector, listed.findingIds());
        int accepted = emit(detector, settled(listed.findingIds(), fetched, next != null, detector.cursor));
        if (accepted > 0) {
            detector.token = null;
            return false;
        }
        // Nothing new on this page (e.g. a full page of versions already emitted at the cursor's millisecond): read on.
        detector.token = next;
        return next == null;
    }

    private List<RawFinding> fetch(Detector detector, List<String> ids) throws InterruptedException {
        byte[] body = call(() -> {
            detector.client.getFindings(r -> r.detectorId(detector.id).findingIds(ids));
            return capture.take();
        }, AwsCall.guardDuty("GetFindings", detector.region, detector.id));
        try {
            return RawFinding.parse(body);
        } catch (MalformedTrailFileException e) {
            throw new AwsCallFailedException(new AwsFailure(AwsFailure.Kind.PERMANENT, "", 200, e.getMessage()),
                "GuardDuty answered GetFindings on detector " + detector.id + " in " + detector.region + " with an unreadable body: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The fetched findings that may move the cursor now, oldest first. A finding fetched with a later {@code updatedAt} than
     * one listed after it was updated after the listing: its new version waits for a later listing, rather than move the
     * cursor past findings not listed yet. For the same reason the last finding of a full page waits, unless nothing else
     * on the page is new.
     */
    static List<RawFinding> settled(List<String> listedIds, List<RawFinding> fetched, boolean full, FindingCursor cursor) {
        Map<String, RawFinding> byId = new HashMap<>();
        fetched.forEach(f -> byId.put(f.id(), f));
        List<RawFinding> listed = listedIds.stream().map(byId::get).filter(f -> f != null).toList();
        List<RawFinding> keep = new ArrayList<>();
        long laterMin = Long.MAX_VALUE;
        for (int i = listed.size() - 1; i >= 0; i--) {
            RawFinding finding = listed.get(i);
            boolean heldBack = full && i == listed.size() - 1;
            if (finding.updatedAt() <= laterMin && !heldBack) {
                keep.add(finding);
            }
            laterMin = Math.min(laterMin, finding.updatedAt());
        }
        if (full && !listed.isEmpty() && keep.stream().noneMatch(f -> cursor.accepts(f.version(), f.updatedAt()))) {
            keep.add(listed.get(listed.size() - 1));
        }
        keep.sort(Comparator.comparingLong(RawFinding::updatedAt).thenComparing(RawFinding::version));
        return keep;
    }

    /** Queues the versions the cursor has not seen; returns how many moved the cursor (samples skipped included). */
    private int emit(Detector detector, List<RawFinding> findings) throws InterruptedException {
        int accepted = 0;
        for (RawFinding finding : findings) {
            if (!detector.cursor.accepts(finding.version(), finding.updatedAt())) {
                continue;
            }
            accepted++;
            detector.cursor = detector.cursor.advance(finding.version(), finding.updatedAt());
            if (finding.sample() && !config.includeSamples()) {
                continue;
            }
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString("region", detector.region);
            headers.addString("detector.id", detector.id);
            if (finding.accountId() != null) {
                headers.addString("account", finding.accountId());
            }
            headers.addString("updated.at", Instant.ofEpochMilli(finding.updatedAt()).toString());
            if (finding.json().length > config.maxRecordBytes()) {
                put(deadLetter(detector, finding, headers));
                continue;
            }
            put(new SourceRecord(detector.partition, detector.cursor.toMap(), config.topic(), null,
                Schema.OPTIONAL_BYTES_SCHEMA, finding.id().getBytes(StandardCharsets.UTF_8), Schema.BYTES_SCHEMA, finding.json(),
                finding.updatedAt(), headers));
        }
        return accepted;
    }

    private SourceRecord deadLetter(Detector detector, RawFinding finding, ConnectHeaders headers) {
        String reason = "finding of " + finding.json().length + " bytes exceeds max.record.bytes (" + config.maxRecordBytes() + ")";
        LOG.warn("Dead-lettering GuardDuty finding {} of detector {} in {}: {}", finding.id(), detector.id, detector.region, reason);
        headers.addString(DeadLetters.LOCATION, "guardduty:" + detector.region + ":" + detector.id + ":" + finding.id());
        headers.addString(DeadLetters.REASON, reason);
        headers.addString(DeadLetters.COMPONENT, OutputConfig.COMPONENT);
        return new SourceRecord(detector.partition, detector.cursor.toMap(), config.deadLetterTopic(), null,
            Schema.OPTIONAL_BYTES_SCHEMA, finding.id().getBytes(StandardCharsets.UTF_8), Schema.OPTIONAL_BYTES_SCHEMA, null,
            finding.updatedAt(), headers);
    }

    /** One detector being read, with its cursor as of the last record queued. */
    private static final class Detector {
        private final String region;
        private final String id;
        private final Map<String, String> partition;
        private final GuardDutyClient client;
        private FindingCursor cursor;
        private String token;
        private boolean upToDate;

        Detector(String region, String id, Map<String, String> partition, GuardDutyClient client, FindingCursor cursor) {
            this.region = region;
            this.id = id;
            this.partition = partition;
            this.client = client;
            this.cursor = cursor;
        }

        void newRound() {
            token = null;
            upToDate = false;
        }
    }
}
