package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.trailhound.connector.AwsCall;
import io.trailhound.connector.AwsCallFailedException;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.AwsRetries;
import io.trailhound.connector.SqsBatchDeleter;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The log-file source's alternative to listing: reads the files named by S3 event notifications on an SQS queue
 * (directly or via SNS) into the bounded queue, and deletes a notification (in batches of ten, between receives) only once
 * Kafka acknowledged every record of its files. A notification whose records were not all acknowledged comes back after
 * the visibility timeout. Each record's offset remembers the files of its account/region read in the dedup window, so a
 * notification redelivered after its records were written (the task stopped before deleting it) is not read again, and a
 * file a stopped task left partway is continued after its last record: with exactly-once source support, neither
 * duplicates nor gaps (a single task: tasks share the one queue, not the partitions). Failed calls are classified by
 * {@link AwsFailure}: throttling and other transient errors are retried in place with {@link AwsRetries}' backoff, a
 * notified file that no longer exists is dead-lettered (and its notification deleted once that is acknowledged), and a
 * permanent error (access denied, a missing queue or bucket) stops the reader with the reason the task fails with.
 */
final class NotificationFetcher implements BackgroundReader {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationFetcher.class);
    private static final int WAIT_SECONDS = 2;

    private final CloudTrailS3SourceConfig config;
    private final TrailLocation location;
    private final TrailStore store;
    private final SqsClient sqs;
    private final String queueUrl;
    private final TrailFileReader reader;
    private final TrailRecords records;
    private final AwsRetries retries;
    private final AwsCall receive;
    private final BlockingQueue<SourceRecord> queue;
    private final SqsBatchDeleter deletes;
    private final Map<SourceRecord, Ticket> tickets = Collections.synchronizedMap(new IdentityHashMap<>());
    private final OffsetStorageReader offsets;
    /**
     * Per account/region, the files read in the dedup window and those left partway (reader thread only), loaded from the
     * offsets on first use.
     */
    private final Map<TrailPartition, RecentFiles> read = new HashMap<>();
    private volatile boolean running = true;
    private volatile String failure;

    NotificationFetcher(CloudTrailS3SourceConfig config, TrailStore store, SqsClient sqs, OffsetStorageReader offsets,
                        BlockingQueue<SourceRecord> queue, AwsRetries retries) {
        this.config = config;
        this.offsets = offsets;
        this.location = config.location();
        this.store = store;
        this.sqs = sqs;
        this.queueUrl = config.notificationsQueueUrl();
        this.deletes = new SqsBatchDeleter(sqs, queueUrl);
        this.queue = queue;
        this.retries = retries;
        this.receive = AwsCall.sqs("ReceiveMessage", queueUrl, CloudTrailS3SourceConfig.NOTIFICATIONS_QUEUE_CONFIG);
        this.records = new TrailRecords(location, config.topic(), config.deadLetterTopic(), config.maxRecordBytes());
        this.reader = new TrailFileReader(location, records, config.maxFileBytes());
    }

    @Override
    public void run() {
        try {
            receiveLoop();
        } catch (AwsCallFailedException e) {
            stopWith(e.getMessage(), null);
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A bug or an input nobody foresaw: fail the task with the reason rather than leave poll() waiting forever (but an
            // SDK call interrupted by stop() is no failure).
            if (running) {
                stopWith("Unexpected error reading the notifications of " + queueUrl + ": " + e, e);
            }
        } finally {
            // What Kafka acknowledged before the stop is deleted now; the rest comes back after the visibility timeout.
            deletes.flush();
        }
    }

    /**
     * Records the reason the task fails with, then goes on deleting the notifications whose records Kafka acknowledges
     * until the task is stopped: records read before the failure are still handed out and written.
     */
    private void stopWith(String reason, RuntimeException error) {
        failure = reason;
        if (error == null) {
            LOG.error("CloudTrail notification reader stopping: {}", reason);
        } else {
            LOG.error("CloudTrail notification reader stopping: {}", reason, error);
        }
        try {
            while (running) {
                deletes.flush();
                Thread.sleep(100);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop() throws InterruptedException {
        while (running) {
            deletes.flush();
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(WAIT_SECONDS))
                    .messages();
            } catch (SdkException e) {
                if (running) {
                    pause(retries.retryOrFail(AwsFailure.of(e, receive), e));
                }
                continue;
            }
            retries.succeeded();
            for (Message message : messages) {
                handle(message);
            }
        }
    }

    /** Counts an acknowledged record; deletes its notification when it was the last outstanding one. */
    @Override
    public void acknowledge(SourceRecord record, RecordMetadata metadata) {
        Ticket ticket = tickets.remove(record);
        if (ticket != null && metadata != null) {
            ticket.release();
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private void handle(Message message) throws InterruptedException {
        Ticket ticket = new Ticket(message);
        try {
            for (String key : S3Notifications.createdKeys(message.body(), location.bucket())) {
                readKey(key, ticket);
            }
        } catch (MalformedTrailFileException e) {
            LOG.warn("Ignoring message {} on {}: {}", message.messageId(), queueUrl, e.getMessage());
        }
        ticket.release();
    }

    private void readKey(String key, Ticket ticket) throws InterruptedException {
        Optional<TrailKey> parsed = TrailKey.parse(location.prefix(), key);
        if (parsed.isEmpty() || !selected(parsed.get())) {
            return;
        }
        TrailKey trail = parsed.get();
        TrailPartition partition = TrailPartition.of(location, trail.orgId(), trail.account(), trail.region());
        RecentFiles files = filesRead(partition);
        int from = (int) files.partialIndex(key) + 1;
        if (from == 0 && files.remembers(key)) {
            // A redelivered notification (the task stopped after Kafka took the records, before deleting it): read already.
            LOG.info("Skipping {}: read already (notification redelivered)", location.describe(key));
            return;
        }
        AwsCall call = location.readCall(key);
        StoredObject object = null;
        byte[] raw = null;
        while (raw == null) {
            if (!running) {
                // Stopping: the notification stays on the queue and comes back after its visibility timeout.
                ticket.hold();
                return;
            }
            try (InputStream in = store.open(key)) {
                object = store.stat(key);
                raw = in.readAllBytes();
                retries.succeeded();
            } catch (IOException | UncheckedIOException | SdkException e) {
                AwsFailure failure = AwsFailure.of(e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e, call);
                if (failure.kind() == AwsFailure.Kind.GONE) {
                    deadLetterMissing(partition, key, files, failure, ticket);
                    return;
                }
                pause(retries.retryOrFail(failure, e));
            }
        }
        List<SourceRecord> out = new ArrayList<>(reader.read(partition, object, raw, from, files));
        if (!out.isEmpty()) {
            // The file counts as read from its last record on: a stop partway leaves it to be continued, never skipped.
            // Every record carries the files left partway too, so one survives other files' offsets and another restart.
            RecentFiles next = files.admit(key);
            read.put(partition, next);
            out.set(out.size() - 1, remembering(out.get(out.size() - 1), next));
        }
        for (SourceRecord record : out) {
            enqueue(record, ticket);
        }
    }

    /**
     * A notified file that no longer exists (S3 is read-after-write consistent, so it was deleted after the notification,
     * e.g. by a lifecycle rule): one dead letter naming it, counted as read, so the notification is deleted once Kafka took it.
     */
    private void deadLetterMissing(TrailPartition partition, String key, RecentFiles files, AwsFailure failure, Ticket ticket)
        throws InterruptedException {
        LOG.warn("Dead-lettering notified {}: {}", location.describe(key), failure.message());
        RecentFiles next = files.admit(key);
        read.put(partition, next);
        enqueue(records.deadLetter(partition, new StoredObject(key, 0, Instant.now()), new CloudTrailOffset(key, -1, true).within(next),
            "notified but missing when read: " + failure.message(), null), ticket);
    }

    private void enqueue(SourceRecord record, Ticket ticket) throws InterruptedException {
        ticket.hold();
        tickets.put(record, ticket);
        while (running && !queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
            LOG.trace("queue full");
        }
    }

    /** {@code record} with {@code files} in its offset. */
    private static SourceRecord remembering(SourceRecord record, RecentFiles files) {
        Map<String, ?> offset = CloudTrailOffset.fromMap(record.sourceOffset()).within(files).toMap();
        return new SourceRecord(record.sourcePartition(), offset, record.topic(), record.kafkaPartition(), record.keySchema(),
            record.key(), record.valueSchema(), record.value(), record.timestamp(), record.headers());
    }

    /**
     * What this account/region has read in the dedup window: this task's reads, else what the committed offsets say (with
     * exactly-once source support, exactly the files whose records were committed), with the files left partway: those the
     * offset lists, and the offset's own file when its last committed record was not the file's last.
     */
    private RecentFiles filesRead(TrailPartition partition) {
        RecentFiles files = read.get(partition);
        if (files == null) {
            CloudTrailOffset offset = CloudTrailOffset.fromMap(offsets.offset(partition.sourcePartition()));
            files = RecentFiles.resume(partition, config.notificationsDedupWindow(), partition.keyPrefix(), offset);
            if (offset != null && !offset.eof() && offset.key().startsWith(partition.keyPrefix())) {
                files = files.continuing(offset.key(), offset.index());
            }
            read.put(partition, files);
        }
        return files;
    }

    private boolean selected(TrailKey key) {
        return (config.accounts().isEmpty() || config.accounts().contains(key.account()))
            && (config.regions().isEmpty() || config.regions().contains(key.region()))
            && config.startDate().map(day -> !key.date().isBefore(day)).orElse(true);
    }

    /** Sleeps {@code duration}, or less when the reader is asked to stop. */
    private void pause(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Records of one notification still awaiting Kafka's acknowledgement; one extra hold while it is being read. */
    private final class Ticket {
        private final Message message;
        private final AtomicInteger outstanding = new AtomicInteger(1);

        Ticket(Message message) {
            this.message = message;
        }

        void hold() {
            outstanding.incrementAndGet();
        }

        void release() {
            if (outstanding.decrementAndGet() == 0) {
                // Deleted by the reader thread, ten per DeleteMessageBatch, not on Connect's producer callback thread.
                deletes.add(message.messageId(), message.receiptHandle());
            }
        }
    }
}
