package io.trailhound.connector.cloudtrail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.trailhound.connector.AwsAuth;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.ConnectorVersion;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Task of the CloudTrail log-file source: a background {@link TrailFetcher} fills a bounded queue, {@link #poll()} hands
 * out what is there within half a second, and {@link #stop()} ends the reader within five seconds.
 */
public class CloudTrailS3SourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(CloudTrailS3SourceTask.class);
    private static final long POLL_WAIT_MS = 500;
    private static final long STOP_WAIT_MS = 5_000;

    private CloudTrailS3SourceConfig config;
    private TrailStore store;
    private BlockingQueue<SourceRecord> queue;
    private BackgroundReader fetcher;
    private SqsClient sqs;
    private AwsAuth auth;
    private Thread reader;

    @Override
    public String version() {
        return ConnectorVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CloudTrailS3SourceConfig(props);
        AwsSettings settings = config.awsSettings();
        auth = settings.credentials().open(settings::clientRegion);
        store = TrailStore.open(config.location(), settings, auth);
        queue = new ArrayBlockingQueue<>(config.queueCapacity());
        AwsRetries retries = new AwsRetries("CloudTrail source " + config.location().uri(), config.retry())
            .registerIn(context.pluginMetrics());
        if (config.notificationsQueueUrl().isBlank()) {
            fetcher = new TrailFetcher(config, store, context.offsetStorageReader(), queue, retries);
        } else {
            sqs = settings.sqsClient(auth.provider());
            fetcher = new NotificationFetcher(config, store, sqs, context.offsetStorageReader(), queue, retries);
        }
        reader = new Thread(fetcher, "trailhound-cloudtrail-s3-" + config.taskIndex());
        reader.setDaemon(true);
        reader.start();
        LOG.info("CloudTrail source task {}/{} started on {}", config.taskIndex() + 1, config.taskCount(), config.location().uri());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        SourceRecord first = queue.poll(POLL_WAIT_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
            String failure = fetcher.failure().orElse(null);
            if (failure != null) {
                throw new ConnectException(failure);
            }
            return null;
        }
        List<SourceRecord> batch = new ArrayList<>(Math.min(config.batchSize(), queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, config.batchSize() - 1);
        return batch;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        fetcher.acknowledge(record, metadata);
    }

    @Override
    public void stop() {
        if (fetcher != null) {
            fetcher.stop();
        }
        if (reader != null) {
            reader.interrupt();
            try {
                reader.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive()) {
                LOG.warn("CloudTrail reader thread did not stop within {} ms", STOP_WAIT_MS);
            }
        }
        if (store != null) {
            store.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (auth != null) {
            auth.close();
        }
    }
}
