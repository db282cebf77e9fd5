package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.trailhound.connector.AwsCall;
import io.trailhound.connector.AwsCallFailedException;
import io.trailhound.connector.AwsFailure;
import io.trailhound.connector.AwsRetries;

import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * The log-file source's background reader: discovers account/region partitions, lists each in key order after its
 * offset, reads and splits files, and puts records into a bounded queue that {@code poll()} drains. Store errors are
 * classified by {@link AwsFailure}: retryable ones back off ({@link AwsRetries}), a file deleted between its listing and its
 * read is dead-lettered, permanent ones stop the reader with a message the task fails with.
 */
final class TrailFetcher implements BackgroundReader {

    private static final Logger LOG = LoggerFactory.getLogger(TrailFetcher.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final long OFFER_WAIT_MS = 100;

    private final CloudTrailS3SourceConfig config;
    private final TrailLocation location;
    private final TrailStore store;
    private final TrailFileReader reader;
    private final OffsetStorageReader offsets;
    private final BlockingQueue<SourceRecord> queue;
    private final AwsRetries retries;
    private final TrailRecords records;
    private final Map<TrailPartition, Cursor> cursors = new LinkedHashMap<>();
    private volatile boolean running = true;
    private volatile String failure;
    private long nextDiscoveryNanos;

    TrailFetcher(CloudTrailS3SourceConfig config, TrailStore store, OffsetStorageReader offsets, BlockingQueue<SourceRecord> queue,
                 AwsRetries retries) {
        this.config = config;
        this.location = config.location();
        this.store = store;
        this.offsets = offsets;
        this.queue = queue;
        this.retries = retries;
        this.records = new TrailRecords(location, config.topic(), config.deadLetterTopic(), config.maxRecordBytes());
        this.reader = new TrailFileReader(location, records, config.maxFileBytes());
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (System.nanoTime() - nextDiscoveryNanos >= 0) {
                    discover();
                    nextDiscoveryNanos = System.nanoTime() + config.pollInterval().toNanos();
                }
                boolean progressed = readRound();
                if (!progressed) {
                    pause(config.pollInterval());
                }
            } catch (StoreCallException e) {
                backOffOrStop(e);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    // An SDK call interrupted by stop(): no failure.
                    return;
                }
                // A bug or an input nobody foresaw: fail the task with the reason rather than leave poll() waiting forever.
                LOG.error("CloudTrail source stopping on an unexpected error", e);
                failure = "Unexpected error reading " + location.uri() + ": " + e;
                running = false;
            }
        }
    }

    private void backOffOrStop(StoreCallException e) {
        try {
            Duration delay = retries.retryOrFail(e.failure, e.getCause());
            if (running) {
                pauseQuietly(delay);
            }
        } catch (AwsCallFailedException failed) {
            LOG.error("CloudTrail source stopping: {}", failed.getMessage());
            failure = failed.getMessage();
            running = false;
        }
    }

    /** Asks the loop to end; it stops at its next check (at most one queue offer or one store call later). */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private void discover() throws StoreCallException {
        List<TrailPartition> found = new ArrayList<>();
        String awsLogs = location.prefix() + "AWSLogs/";
        for (String top : call(location.listCall(awsLogs), () -> store.listPrefixes(awsLogs))) {
            String name = lastSegment(top);
            if (name.startsWith("o-")) {
                for (String account : call(location.listCall(top), () -> store.listPrefixes(top))) {
                    addRegions(name, lastSegment(account), found);
                }
            } else {
                addRegions(null, name, found);
            }
        }
        List<TrailPartition> fresh = found.stream()
            .filter(p -> p.ownedBy(config.taskIndex(), config.taskCount()) && !cursors.containsKey(p))
            .toList();
        if (fresh.isEmpty()) {
            return;
        }
        Map<Map<String, String>, Map<String, Object>> stored =
            offsets.offsets(fresh.stream().map(TrailPartition::sourcePartition).toList());
        for (TrailPartition partition : fresh) {
            cursors.put(partition, cursor(partition, CloudTrailOffset.fromMap(stored.get(partition.sourcePartition()))));
        }
        LOG.info("CloudTrail source at {} reads {} account/region partition(s) ({} new)", location.uri(), cursors.size(), fresh.size());
    }

    private void addRegions(String orgId, String account, List<TrailPartition> found) throws StoreCallException {
        if (!account.matches("\\d{12}") || !(config.accounts().isEmpty() || config.accounts().contains(account))) {
            return;
        }
        String trail = location.prefix() + "AWSLogs/" + (orgId == null ? "" : orgId + "/") + account + "/CloudTrail/";
        for (String regionPrefix : call(location.listCall(trail), () -> store.listPrefixes(trail))) {
            String region = lastSegment(regionPrefix);
            if (config.regions().isEmpty() || config.regions().contains(region)) {
                found.add(TrailPartition.of(location, orgId, account, region));
            }
        }
    }

    private Cursor cursor(TrailPartition partition, CloudTrailOffset offset) {
        String floor = config.startDate().map(day -> partition.keyPrefix() + DAY.format(day)).orElse(partition.keyPrefix());
        RecentFiles files = RecentFiles.resume(partition, config.lateFilesWindow(), floor, offset);
        if (offset == null || !offset.key().startsWith(partition.keyPrefix())) {
            return new Cursor(files, null);
        }
        CloudTrailOffset resume = offset.eof() || offset.key().compareTo(floor) <= 0 ? null : offset;
        LOG.info("Partition {}/{} resumes after {} (record {}, {}; {} recent file(s) after {})", partition.account(), partition.region(),
            offset.key(), offset.index(), resume == null ? "file done" : "inside the file", files.size(), files.after());
        return new Cursor(files, resume);
    }

    private boolean readRound() throws StoreCallException, InterruptedException {
        boolean progressed = false;
        for (Map.Entry<TrailPartition, Cursor> entry : cursors.entrySet()) {
            if (!running) {
                break;
            }
            progressed |= readPage(entry.getKey(), entry.getValue());
        }
        return progressed;
    }

    /**
     * Reads one listing page of {@code partition}: each file not read yet (late ones included) is read. A listing starts
     * after the window's {@link RecentFiles#after()} and goes on page by page; a short page ends it, and the next one starts
     * at the window again. True when there is more to do right away.
     */
    private boolean readPage(TrailPartition partition, Cursor cursor) throws StoreCallException, InterruptedException {
        if (cursor.resume != null) {
            CloudTrailOffset resume = cursor.resume;
            Optional<StoredObject> object = statIfPresent(resume.key());
            if (object.isPresent()) {
                readFile(partition, object.get(), (int) resume.index() + 1, cursor.files);
            }
            cursor.resume = null;
            return true;
        }
        String after = cursor.scanFrom == null || cursor.scanFrom.compareTo(cursor.files.after()) < 0
            ? cursor.files.after() : cursor.scanFrom;
        List<StoredObject> page = call(location.listCall(partition.keyPrefix()),
            () -> store.list(partition.keyPrefix(), after, config.listPageSize()));
        boolean read = false;
        for (StoredObject object : page) {
            if (!running) {
                return true;
            }
            if (TrailKey.parse(location.prefix(), object.key()).isPresent() && cursor.files.isNew(object.key())) {
                RecentFiles next = cursor.files.admit(object.key());
                readFile(partition, object, 0, next);
                // Only once the file is read: a failed read is retried, not skipped.
                cursor.files = next;
                read = true;
            }
            cursor.scanFrom = object.key();
        }
        if (page.size() < config.listPageSize()) {
            cursor.scanFrom = null;
            return read;
        }
        return true;
    }

    private void readFile(TrailPartition partition, StoredObject object, int fromIndex, RecentFiles files)
        throws StoreCallException, InterruptedException {
        byte[] raw;
        try {
            raw = call(location.readCall(object.key()), () -> {
                try (InputStream in = store.open(object.key())) {
                    return in.readAllBytes();
                }
            });
        } catch (StoreCallException e) {
            if (e.failure.kind() != AwsFailure.Kind.GONE) {
                throw e;
            }
            // Listed, then deleted (a lifecycle rule, an operator) before it was read: it will not come back.
            LOG.warn("Dead-lettering {}: {}", location.describe(object.key()), e.failure.message());
            put(records.deadLetter(partition, object, new CloudTrailOffset(object.key(), -1, true).within(files),
                "listed but deleted before it was read: " + e.failure.message(), null));
            return;
        }
        for (SourceRecord record : reader.read(partition, object, raw, fromIndex, files)) {
            if (!running) {
                return;
            }
            put(record);
        }
    }

    private Optional<StoredObject> statIfPresent(String key) throws StoreCallException {
        try {
            return Optional.of(call(location.readCall(key), () -> store.stat(key)));
        } catch (StoreCallException e) {
            if (e.failure.kind() == AwsFailure.Kind.GONE) {
                LOG.warn("{} was deleted before its remaining records were read; continuing after it", location.describe(key));
                return Optional.empty();
            }
            throw e;
        }
    }

    private void put(SourceRecord record) throws InterruptedException {
        while (running) {
            if (queue.offer(record, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private void pause(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(OFFER_WAIT_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private void pauseQuietly(Duration duration) {
        try {
            pause(duration);
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    private <T> T call(AwsCall what, StoreCall<T> call) throws StoreCallException {
        T result;
        try {
            result = call.run();
        } catch (IOException | UncheckedIOException | SdkException e) {
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            throw new StoreCallException(AwsFailure.of(cause, what), cause);
        }
        retries.succeeded();
        return result;
    }

    private static String lastSegment(String prefix) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** A store call that may fail with I/O or SDK errors. */
    @FunctionalInterface
    private interface StoreCall<T> {
        T run() throws IOException;
    }

    /**
     * Where one partition's reading stands: what was read ({@code files}), where the listing in progress goes on
     * ({@code scanFrom}, null to start again at the window), and a file to finish first ({@code resume}).
     */
    private static final class Cursor {
        private RecentFiles files;
        private String scanFrom;
        private CloudTrailOffset resume;

        Cursor(RecentFiles files, CloudTrailOffset resume) {
            this.files = files;
            this.resume = resume;
        }
    }

    /** A classified store failure travelling up the loop. */
    private static final class StoreCallException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient AwsFailure failure;

        StoreCallException(AwsFailure failure, Throwable cause) {
            super(failure.message(), cause);
            this.failure = failure;
        }
    }
}
