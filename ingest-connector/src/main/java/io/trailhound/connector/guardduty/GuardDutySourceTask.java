package io.trailhound.connector.guardduty;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.OutputConfig;
import io.trailhound.connector.cloudtrail.MalformedTrailFileException;
import io.trailhound.connector.eventbridge.EventBridgeQueueReader;
import io.trailhound.topic.DeadLetters;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.Condition;
import software.amazon.awssdk.services.guardduty.model.FindingCriteria;
import software.amazon.awssdk.services.guardduty.model.ListFindingsResponse;
import software.amazon.awssdk.services.guardduty.model.OrderBy;

/**
 * Task of the GuardDuty source. API mode: each {@link #poll()} reads at most one page per detector (so it returns
 * quickly), listing {@code updatedAt >= cursor} oldest first and fetching the page's findings; after a page that moved
 * the cursor the next listing starts again from the cursor (never from a page token, which would skip findings that
 * moved in the sort order while the pages were read). Queue mode ({@code queue.url}): EventBridge "GuardDuty Finding"
 * events from SQS, each {@code detail} forwarded byte for byte.
 */
public class GuardDutySourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(GuardDutySourceTask.class);
    private static final long IDLE_WAIT_MS = 500;

    private final RawResponseCapture capture = new RawResponseCapture();
    private final List<Detector> detectors = new ArrayList<>();
    private final List<Scope> scopes = new ArrayList<>();
    private Map<String, AwsAuth> auths = Map.of();
    private GuardDutySourceConfig config;
    private EventBridgeQueueReader queue;
    private boolean discovered;
    private long nextRoundNanos;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new GuardDutySourceConfig(props);
        auths = config.openCredentials();
        if (config.queueMode()) {
            queue = config.queueReader(auths.values().iterator().next().provider());
            queue.start();
            return;
        }
        // One client per account (aws.role.arn.template) and region; one account when a single role or none serves all.
        auths.forEach((account, auth) -> config.regions().forEach(region ->
            scopes.add(new Scope(account, region, config.client(region, capture, auth.provider())))));
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (queue != null) {
            return queue.poll();
        }
        long wait = (nextRoundNanos - System.nanoTime()) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(Math.min(wait, IDLE_WAIT_MS));
            return null;
        }
        if (!discovered) {
            discovered = discover();
            if (!discovered) {
                nextRoundNanos = System.nanoTime() + config.pollInterval().toNanos();
                return null;
            }
        }
        List<SourceRecord> records = new ArrayList<>();
        boolean pending = false;
        for (Detector detector : detectors) {
            if (!detector.upToDate) {
                detector.upToDate = readPage(detector, records);
                pending |= !detector.upToDate;
            }
        }
        if (!pending) {
            detectors.forEach(Detector::newRound);
            nextRoundNanos = System.nanoTime() + config.pollInterval().toNanos();
        }
        return records.isEmpty() ? null : records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (queue != null) {
            queue.acknowledge(record, metadata);
        }
    }

    @Override
    public void stop() {
        if (queue != null) {
            queue.stop();
        }
        scopes.forEach(scope -> scope.client.close());
        auths.values().forEach(AwsAuth::close);
    }

    /** Finds the detectors: the configured ones, or each region's from ListDetectors; false to retry next round. */
    private boolean discover() {
        List<Detector> found = new ArrayList<>();
        for (Scope scope : scopes) {
            List<String> ids = config.detectorIds(scope.region);
            if (ids.isEmpty()) {
                ids = call(() -> scope.client.listDetectorsPaginator(r -> { }).detectorIds().stream().toList(), "ListDetectors",
                    scope.region, null);
                if (ids == null) {
                    return false;
                }
            }
            for (String detectorId : ids) {
                // A default HashMap: the order Connect's REST offsets API reads partitions back in (see TrailPartition).
                Map<String, String> partition = new HashMap<>();
                // Detector ids are unique across accounts, so {region, detector} stays the partition with per-account roles too.
                partition.put("region", scope.region);
                partition.put("detector", detectorId);
                FindingCursor cursor = FindingCursor.fromMap(context.offsetStorageReader().offset(partition), 0L);
                found.add(new Detector(scope.region, detectorId, partition, scope.client, cursor));
                LOG.info("GuardDuty detector {} in {}{} resumes at updatedAt {}", detectorId, scope.region,
                    scope.account.isEmpty() ? "" : " of account " + scope.account, Instant.ofEpochMilli(cursor.updatedAt()));
            }
        }
        detectors.addAll(found);
        return true;
    }

    /** Reads one page of {@code detector}; true when it is read up to date for this round. */
    private boolean readPage(Detector detector, List<SourceRecord> records) {
        FindingCriteria since = FindingCriteria.builder()
            .criterion(Map.of("updatedAt", Condition.builder().greaterThanOrEqual(detector.cursor.updatedAt()).build()))
            .build();
        String token = detector.token;
        ListFindingsResponse listed = call(() -> detector.client.listFindings(r -> r.detectorId(detector.id).findingCriteria(since)
            .sortCriteria(s -> s.attributeName("updatedAt").orderBy(OrderBy.ASC)).maxResults(config.pageSize()).nextToken(token)),
            "ListFindings", detector.region, detector.id);
        if (listed == null) {
            return true;
        }
        String next = listed.nextToken() == null || listed.nextToken().isEmpty() ? null : listed.nextToken();
        List<RawFinding> fetched = listed.findingIds().isEmpty() ? List.of() : fetch(detector, listed.findingIds());
        if (fetched == null) {
            return true;
        }
        int accepted = emit(detector, settled(listed.findingIds(), fetched, next != null, detector.cursor), records);
        if (accepted > 0) {
            detector.token = null;
            return false;
        }
        // Nothing new on this page (e.g. a full page of versions already emitted at the cursor's millisecond): read on.
        detector.token = next;
        return next == null;
    }

    private List<RawFinding> fetch(Detector detector, List<String> ids) {
        Object answered = call(() -> detector.client.getFindings(r -> r.detectorId(detector.id).findingIds(ids)), "GetFindings",
            detector.region, detector.id);
        if (answered == null) {
            return null;
        }
        try {
            return RawFinding.parse(capture.take());
        } catch (MalformedTrailFileException e) {
            throw new ConnectException("GuardDuty answered GetFindings with an unreadable body: " + e.getMessage(), e);
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

    /** Emits the versions the cursor has not seen; returns how many moved the cursor (samples skipped included). */
    private int emit(Detector detector, List<RawFinding> findings, List<SourceRecord> records) {
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
                records.add(deadLetter(detector, finding, headers));
                continue;
            }
            records.add(new SourceRecord(detector.partition, detector.cursor.toMap(), config.topic(), null,
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

    /** Runs a GuardDuty call; a retryable failure is logged and gives null, any other fails the task. */
    private static <T> T call(Supplier<T> call, String operation, String region, String detector) {
        try {
            return call.get();
        } catch (SdkException e) {
            GuardDutyFailure failure = GuardDutyFailure.of(e, operation, region, detector);
            if (!failure.retryable()) {
                throw new ConnectException(failure.message(), e);
            }
            LOG.warn("{}; retrying next round", failure.message());
            return null;
        }
    }

    /** An account (empty: the credentials' own) and region with its client. */
    private record Scope(String account, String region, GuardDutyClient client) {
    }

    /** One detector being read, with its cursor as of the last record handed to Connect. */
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
