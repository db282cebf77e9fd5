package io.trailhound.connector.guardduty;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.cloudtrail.MalformedTrailFileException;

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
 * Task of the GuardDuty source: each round lists every detector's findings with {@code updatedAt >= cursor} (oldest
 * first), fetches them, and emits the versions the cursor has not seen; between rounds {@link #poll()} returns within
 * half a second.
 */
public class GuardDutySourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(GuardDutySourceTask.class);
    private static final long IDLE_WAIT_MS = 500;

    private final RawResponseCapture capture = new RawResponseCapture();
    private final List<Detector> detectors = new ArrayList<>();
    private final Map<String, GuardDutyClient> clients = new HashMap<>();
    private GuardDutySourceConfig config;
    private long nextRoundNanos;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new GuardDutySourceConfig(props);
        for (String region : config.regions()) {
            GuardDutyClient client = config.client(region, capture);
            clients.put(region, client);
            for (String detectorId : client.listDetectorsPaginator(r -> { }).detectorIds()) {
                // A default HashMap: the order Connect's REST offsets API reads partitions back in (see TrailPartition).
                Map<String, String> partition = new HashMap<>();
                partition.put("region", region);
                partition.put("detector", detectorId);
                FindingCursor cursor = FindingCursor.fromMap(context.offsetStorageReader().offset(partition), 0L);
                detectors.add(new Detector(region, detectorId, partition, client, cursor));
                LOG.info("GuardDuty detector {} in {} resumes at updatedAt {}", detectorId, region,
                    Instant.ofEpochMilli(cursor.updatedAt()));
            }
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        long wait = (nextRoundNanos - System.nanoTime()) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(Math.min(wait, IDLE_WAIT_MS));
            return null;
        }
        List<SourceRecord> records = new ArrayList<>();
        for (Detector detector : detectors) {
            try {
                records.addAll(read(detector));
            } catch (SdkException e) {
                LOG.warn("GuardDuty detector {} in {} could not be read, retrying next round: {}", detector.id, detector.region,
                    e.getMessage());
            } catch (MalformedTrailFileException e) {
                throw new ConnectException("GuardDuty answered GetFindings with an unreadable body: " + e.getMessage(), e);
            }
        }
        nextRoundNanos = System.nanoTime() + config.pollInterval().toNanos();
        return records.isEmpty() ? null : records;
    }

    @Override
    public void stop() {
        clients.values().forEach(GuardDutyClient::close);
    }

    private List<SourceRecord> read(Detector detector) throws MalformedTrailFileException {
        List<SourceRecord> records = new ArrayList<>();
        FindingCriteria since = FindingCriteria.builder()
            .criterion(Map.of("updatedAt", Condition.builder().greaterThanOrEqual(detector.cursor.updatedAt()).build()))
            .build();
        String token = null;
        do {
            String page = token;
            ListFindingsResponse listed = detector.client.listFindings(r -> r.detectorId(detector.id).findingCriteria(since)
                .sortCriteria(s -> s.attributeName("updatedAt").orderBy(OrderBy.ASC)).maxResults(config.pageSize()).nextToken(page));
            if (!listed.findingIds().isEmpty()) {
                detector.client.getFindings(r -> r.detectorId(detector.id).findingIds(listed.findingIds()));
                for (RawFinding finding : RawFinding.parse(capture.take())) {
                    emit(detector, finding, records);
                }
            }
            token = listed.nextToken() == null || listed.nextToken().isEmpty() ? null : listed.nextToken();
        } while (token != null);
        return records;
    }

    private void emit(Detector detector, RawFinding finding, List<SourceRecord> records) {
        if (!detector.cursor.accepts(finding.id(), finding.updatedAt())) {
            return;
        }
        detector.cursor = detector.cursor.advance(finding.id(), finding.updatedAt());
        if (finding.sample() && !config.includeSamples()) {
            return;
        }
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("region", detector.region);
        headers.addString("detector.id", detector.id);
        headers.addString("updated.at", Instant.ofEpochMilli(finding.updatedAt()).toString());
        records.add(new SourceRecord(detector.partition, detector.cursor.toMap(), config.topic(), null, Schema.OPTIONAL_BYTES_SCHEMA,
            finding.id().getBytes(StandardCharsets.UTF_8), Schema.BYTES_SCHEMA, finding.json(), finding.updatedAt(),
            headers));
    }

    /** One detector being read, with its cursor as of the last record handed to Connect. */
    private static final class Detector {
        private final String region;
        private final String id;
        private final Map<String, String> partition;
        private final GuardDutyClient client;
        private FindingCursor cursor;

        Detector(String region, String id, Map<String, String> partition, GuardDutyClient client, FindingCursor cursor) {
            this.region = region;
            this.id = id;
            this.partition = partition;
            this.client = client;
            this.cursor = cursor;
        }
    }
}
