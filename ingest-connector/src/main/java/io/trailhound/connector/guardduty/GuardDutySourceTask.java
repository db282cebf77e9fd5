package io.trailhound.connector.guardduty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.ConnectorVersion;
import io.trailhound.connector.eventbridge.EventBridgeQueueReader;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task of the GuardDuty source. API mode: a {@link FindingReader} thread calls GuardDuty and fills a bounded queue;
 * {@link #poll()} hands out what is there within half a second (no AWS call on the poll thread) and fails the task with the
 * reader's reason once it stopped on a permanent error; {@link #stop()} ends the reader within five seconds. Queue mode
 * ({@code queue.url}): EventBridge "GuardDuty Finding" events from SQS, each {@code detail} forwarded byte for byte.
 */
public class GuardDutySourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(GuardDutySourceTask.class);
    private static final long POLL_WAIT_MS = 500;
    private static final long STOP_WAIT_MS = 5_000;
    /** Findings buffered between the reader and poll(): ten full pages. */
    private static final int BUFFER = 500;

    private final List<FindingReader.Scope> scopes = new ArrayList<>();
    private Map<String, AwsAuth> auths = Map.of();
    private EventBridgeQueueReader queue;
    private BlockingQueue<SourceRecord> buffer;
    private FindingReader reader;
    private Thread thread;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        GuardDutySourceConfig config = new GuardDutySourceConfig(props);
        auths = config.openCredentials();
        AwsRetries retries = new AwsRetries("GuardDuty source", config.retry()).registerIn(context.pluginMetrics());
        if (config.queueMode()) {
            queue = config.queueReader(auths.values().iterator().next().provider(), retries);
            queue.start();
            return;
        }
        // One client per account (aws.role.arn.template) and region; one account when a single role or none serves all.
        RawResponseCapture capture = new RawResponseCapture();
        auths.forEach((account, auth) -> config.regions().forEach(region ->
            scopes.add(new FindingReader.Scope(account, region, config.client(region, capture, auth.provider())))));
        buffer = new ArrayBlockingQueue<>(BUFFER);
        reader = new FindingReader(config, scopes, capture, context.offsetStorageReader(), buffer, retries);
        thread = new Thread(reader, "trailhound-guardduty");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (queue != null) {
            return queue.poll();
        }
        SourceRecord first = buffer.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            String failure = reader.failure().orElse(null);
            if (failure != null) {
                throw new ConnectException(failure);
            }
            return null;
        }
        List<SourceRecord> records = new ArrayList<>(buffer.size() + 1);
        records.add(first);
        buffer.drainTo(records);
        return records;
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
        if (reader != null) {
            reader.stop();
            thread.interrupt();
            try {
                thread.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("GuardDuty reader thread did not stop within {} ms", STOP_WAIT_MS);
            }
        }
        scopes.forEach(scope -> scope.client().close());
        auths.values().forEach(AwsAuth::close);
    }
}
