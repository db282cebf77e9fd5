package io.trailhound.detect.scan;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.DetectionMetrics;
import io.trailhound.detect.topology.DetectionProcessors;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.topic.Topics;

/**
 * Runs the live detection topology's processors offline (#16 item 5), without Kafka Streams: {@link ScanPipeline}s drive the
 * principal's stage as the live topology's stream tasks would, with in-memory stores, and {@link IncidentStage} the
 * one-partition follow-up and incident stage. The input is streamed: one thread reads it, as many threads as pipelines
 * normalize it in chunks (normalization is stateless), and the reading thread takes the chunks back in the input's order,
 * puts the records in event-time order within the lateness ({@link EventTimeWindow}) and hands them, in batches, to every
 * pipeline; with one
 * pipeline the calling thread runs it and the incident stage, with several each runs on its own thread (the principals split
 * by the key's partition, as the live topology's repartition splits them), the stores that span principals shared as
 * {@link SharedStore}s, and the calling thread takes their outputs back in the scan's order through the incident stage. The
 * result is the final state of every alert (a suppressed repeat updates its alert's count), the same whatever the number of
 * pipelines.
 */
public final class OfflineScan {

    /** Default lateness of the event-time window: records up to this much out of order are scanned in order. */
    public static final Duration DEFAULT_LATENESS = Duration.ofMinutes(15);
    /** A lateness no input exceeds: the whole input is sorted (held in memory), as the scan did before #16. */
    public static final Duration UNBOUNDED = Duration.ofMillis(Long.MAX_VALUE / 4);
    /** Header naming where a raw record came from, as the connector names the S3 key. */
    static final String ORIGIN_HEADER = ScanNormalizer.ORIGIN_HEADER;

    private static final int BATCH = 256;
    private static final int QUEUED_BATCHES = 8;
    /** Raw records a normalizing thread takes at a time. */
    private static final int CHUNK = 256;
    /** Chunks in flight per normalizing thread. */
    private static final int NORMALIZING = 4;

    private final Map<String, Object> settings;
    private final RuleCatalog catalog;
    private final Duration lateness;
    private final int threads;

    /** @param settings stream-processor configuration ({@link StreamProcessorConfig} keys); the mode defaults to REPLAY */
    public OfflineScan(Map<String, ?> settings, RuleCatalog catalog) {
        this(settings, catalog, DEFAULT_LATENESS);
    }

    /** A scan putting its input in event-time order within {@code lateness}, on one pipeline. */
    public OfflineScan(Map<String, ?> settings, RuleCatalog catalog, Duration lateness) {
        this(settings, catalog, lateness, 1);
    }

    /**
     * A scan putting its input in event-time order within {@code lateness}, its principals split over {@code threads}
     * pipelines (each on its own thread, as the partitions of the live topology's tasks; 1: the incident stage runs on the
     * same thread). The output is the same whatever the number.
     */
    public OfflineScan(Map<String, ?> settings, RuleCatalog catalog, Duration lateness, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread, not " + threads);
        }
        this.settings = new HashMap<>(settings);
        this.settings.putIfAbsent(StreamProcessorConfig.MODE_CONFIG, "REPLAY");
        this.catalog = catalog;
        this.lateness = lateness;
        this.threads = threads;
    }

    /**
     * The outcome of a scan.
     *
     * @param alerts       final state of every alert, in the order first raised
     * @param records      raw records scanned
     * @param deadLettered records rejected
     * @param incidents    final state of every incident, in the order opened
     * @param held         hits still waiting for their follow-up when the input ended (TH-CON-011: an MFA device removed less
     *                     than the window before the last record): not alerts, exactly as a live processor would hold them at
     *                     that point; the caller says so
     * @param late         records that came later than the lateness allows (scanned out of event-time order)
     */
    public record Result(List<Alert> alerts, int records, int deadLettered, List<Incident> incidents, List<Alert> held, long late) {

        /** A result without late records. */
        public Result(List<Alert> alerts, int records, int deadLettered, List<Incident> incidents, List<Alert> held) {
            this(alerts, records, deadLettered, incidents, held, 0);
        }

        /** A result without held hits. */
        public Result(List<Alert> alerts, int records, int deadLettered, List<Incident> incidents) {
            this(alerts, records, deadLettered, incidents, List.of());
        }

        /**
         * The incident that lists the alert {@code alertId} among its alerts (#16: an alert carries its incident key, the
         * incident its members), if any.
         */
        public Optional<Incident> incidentOf(String alertId) {
            return incidents.stream().filter(i -> i.getAlerts().stream().anyMatch(a -> a.getAlertId().equals(alertId))).findFirst();
        }

        /** A result without incidents. */
        public Result(List<Alert> alerts, int records, int deadLettered) {
            this(alerts, records, deadLettered, List.of());
        }
    }

    /** Scans {@code records} (raw JSON, any order) and returns the alerts in the order they were first raised. */
    public Result run(List<byte[]> records) {
        return run(ScanSource.of(records));
    }

    /**
     * Scans {@code source} in event-time order, reading its parts as they are needed; each record carries its part's origin
     * in the {@code key} header, as the connector's records carry their S3 key (an organization trail's layout names the
     * organization's accounts).
     */
    public Result run(ScanSource source) {
        Map<String, Alert> alerts = new LinkedHashMap<>();
        Map<String, Incident> incidents = new LinkedHashMap<>();
        Summary s = run(source, new Output() {
            @Override
            public void alert(Alert alert) {
                alerts.put(alert.getAlertId(), alert);
            }

            @Override
            public void incident(Incident incident) {
                incidents.put(incident.getIncidentId(), incident);
            }
        });
        return new Result(new ArrayList<>(alerts.values()), (int) s.records(), s.deadLettered(), new ArrayList<>(incidents.values()),
                s.held(), s.late());
    }

    /**
     * What a streamed scan counted.
     *
     * @param records      raw records scanned
     * @param deadLettered records rejected or failed
     * @param held         hits still waiting for their follow-up at the end of input
     * @param late         records later than the lateness allows
     * @param firstLate    where the first late record was (part and record number), or null
     */
    public record Summary(long records, int deadLettered, List<Alert> held, long late, String firstLate) {
    }

    /** Where a streamed scan's alerts and incidents go, each state as the live topics carry it. */
    public interface Output {
        /** An alert as the alerts topic carries it (a later state of the same alert id replaces it). */
        void alert(Alert alert);

        /** An incident as the incidents topic carries it (a later state of the same id replaces it). */
        void incident(Incident incident);

        /**
         * Whether this output takes incidents. Without, the scan skips the incident processor (alerts do not depend on it:
         * each carries the incident key its principal's stage stamped), the follow-up processor still runs (its released
         * hits are alerts), and the alerts reach it without the Avro round trip the incident stage's topic gives them.
         */
        default boolean wantsIncidents() {
            return true;
        }

        /**
         * Whether this output makes its own copy of each alert (it serializes them): then the scan hands alerts over as the
         * processors made them, instead of as Avro reads them back.
         */
        default boolean copiesAlerts() {
            return false;
        }
    }

    /**
     * Scans {@code source}, handing every state of every alert and incident to {@code output} as the live topology writes them
     * (the same alert id again: its new state), on the calling thread.
     */
    public Summary run(ScanSource source, Output output) {
        StreamProcessorConfig config = new StreamProcessorConfig(settings, catalog);
        DetectionProcessors processors = new DetectionProcessors(config, catalog, DetectionMetrics.none());
        SharedStores stores = new SharedStores(threads);
        List<ScanPipeline> pipelines = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            pipelines.add(new ScanPipeline(processors, output, i, stores));
        }
        IncidentStage stage = new IncidentStage(processors, output, threads, stores);
        List<ScanNormalizer> normalizers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            normalizers.add(new ScanNormalizer(processors, Topics.CLOUDTRAIL_RAW, Topics.GUARDDUTY_RAW));
        }
        List<BlockingQueue<Batch>> handoff = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            handoff.add(new ArrayBlockingQueue<>(QUEUED_BATCHES));
        }
        Reader reader = new Reader(source, normalizers, handoff);
        List<Thread> running = new ArrayList<>();
        running.add(start(reader, "trailhound-scan-reader"));
        try {
            if (threads == 1) {
                runInline(handoff.get(0), pipelines.get(0), stage);
            } else {
                List<BlockingQueue<Done>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    BlockingQueue<Done> done = new ArrayBlockingQueue<>(QUEUED_BATCHES);
                    results.add(done);
                    running.add(start(new PipelineThread(pipelines.get(i), handoff.get(i), done, stores.progress()),
                            "trailhound-scan-pipeline-" + i));
                }
                merge(results, stage);
            }
            for (Thread t : running) {
                t.join();
            }
        } catch (InterruptedException e) {
            running.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        }
        if (reader.failure != null) {
            throw reader.failure;
        }
        ScanRecord first = reader.window.firstLate();
        String firstLate = first == null ? null : (source.origin(first.part()) == null ? "record " + (first.index() + 1)
                : source.origin(first.part()) + " record " + (first.index() + 1));
        int dead = stage.deadLettered() + pipelines.stream().mapToInt(ScanPipeline::failed).sum();
        return new Summary(reader.records, dead, stage.held(), reader.window.late(), firstLate);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return work -> {
            Thread thread = new Thread(work, prefix + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A raw record as read: its bytes, where it came from and its place in the input. */
    private record Raw(byte[] bytes, String origin, int part, int index, long offset) {
    }

    private static Thread start(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** One pipeline: it and the incident stage on the calling thread, a record at a time. */
    private static void runInline(BlockingQueue<Batch> in, ScanPipeline pipeline, IncidentStage stage) throws InterruptedException {
        ScanEffects[] effects = new ScanEffects[1];
        while (true) {
            Batch batch = in.take();
            if (batch.records().isEmpty()) {
                return;
            }
            for (int i = 0; i < batch.records().size(); i++) {
                ScanRecord r = batch.records().get(i);
                effects[0] = pipeline.step(r, batch.first() + i, true);
                stage.accept(r, batch.first() + i, effects);
            }
        }
    }

    /** Several pipelines: their outputs, batch by batch, through the incident stage in the scan's order. */
    private static void merge(List<BlockingQueue<Done>> results, IncidentStage stage) throws InterruptedException {
        int threads = results.size();
        Done[] done = new Done[threads];
        ScanEffects[] effects = new ScanEffects[threads];
        while (true) {
            for (int p = 0; p < threads; p++) {
                done[p] = results.get(p).take();
                if (done[p].failure() != null) {
                    throw done[p].failure();
                }
            }
            Batch batch = done[0].batch();
            if (batch.records().isEmpty()) {
                return;
            }
            for (int i = 0; i < batch.records().size(); i++) {
                for (int p = 0; p < threads; p++) {
                    effects[p] = done[p].effects()[i];
                }
                stage.accept(batch.records().get(i), batch.first() + i, effects);
            }
        }
    }

    /**
     * Records in the scan's order, from the {@code first}th, with the pipeline of each ({@link ScanPipeline#pipelineOf}); no
     * records: the end of the input.
     */
    private record Batch(long first, List<ScanRecord> records, int[] pipelines) {
    }

    /** What a pipeline sent on for each record of a batch (null: nothing), or why it stopped. */
    private record Done(Batch batch, ScanEffects[] effects, RuntimeException failure) {
    }

    /** Runs one pipeline over every batch on its own thread. */
    private static final class PipelineThread implements Runnable {
        private final ScanPipeline pipeline;
        private final BlockingQueue<Batch> in;
        private final BlockingQueue<Done> out;
        private final SharedStore.Progress progress;
        private final int index;

        PipelineThread(ScanPipeline pipeline, BlockingQueue<Batch> in, BlockingQueue<Done> out, SharedStore.Progress progress) {
            this.pipeline = pipeline;
            this.in = in;
            this.out = out;
            this.progress = progress;
            this.index = pipeline.index();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Batch batch = in.take();
                    ScanEffects[] effects = new ScanEffects[batch.records().size()];
                    for (int i = 0; i < effects.length; i++) {
                        effects[i] = pipeline.step(batch.records().get(i), batch.first() + i, batch.pipelines()[i] == index);
                    }
                    out.put(new Done(batch, effects, null));
                    if (batch.records().isEmpty()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException("scan pipeline failed", e);
                progress.abort(failure);
                out.offer(new Done(null, null, failure));
            }
        }
    }

    /**
     * Reads the input on its own thread, has it normalized on the normalizing threads, orders it and hands batches of ordered
     * records over.
     */
    private final class Reader implements Runnable {
        private final ScanSource source;
        private final List<BlockingQueue<Batch>> handoff;
        private final EventTimeWindow window;
        /** One normalizer per normalizing thread (a normalizer is not thread-safe), handed out as the threads take chunks. */
        private final BlockingQueue<ScanNormalizer> normalizers;
        private final int normalizerCount;
        /** Chunks being normalized, in the input's order: the window takes them back in that order. */
        private final ArrayDeque<Future<ScanRecord[]>> normalizing = new ArrayDeque<>();
        private List<Raw> chunk = new ArrayList<>(CHUNK);
        private List<ScanRecord> batch = new ArrayList<>(BATCH);
        private int[] owners = new int[BATCH];
        private long released;
        private long records;
        private volatile RuntimeException failure;

        Reader(ScanSource source, List<ScanNormalizer> normalizers, List<BlockingQueue<Batch>> handoff) {
            this.source = source;
            this.normalizers = new ArrayBlockingQueue<>(normalizers.size(), false, normalizers);
            this.normalizerCount = normalizers.size();
            this.handoff = handoff;
            this.window = new EventTimeWindow(lateness, this::release);
        }

        /**
         * Hands the chunk to the normalizing threads; with {@link #NORMALIZING} chunks in flight, first takes the oldest back
         * into the window (reading waits for normalizing: memory stays bounded).
         */
        private void submit(ExecutorService pool) {
            List<Raw> raws = chunk;
            chunk = new ArrayList<>(CHUNK);
            if (normalizing.size() >= NORMALIZING * normalizerCount) {
                takeNormalized();
            }
            normalizing.add(pool.submit(() -> normalize(raws)));
        }

        private ScanRecord[] normalize(List<Raw> raws) throws InterruptedException {
            ScanNormalizer normalizer = normalizers.take();
            try {
                ScanRecord[] out = new ScanRecord[raws.size()];
                for (int i = 0; i < out.length; i++) {
                    Raw r = raws.get(i);
                    out[i] = normalizer.normalize(r.bytes(), r.origin(), r.part(), r.index(), r.offset());
                }
                return out;
            } finally {
                normalizers.put(normalizer);
            }
        }

        /** The oldest chunk in flight, normalized, into the event-time window. */
        private void takeNormalized() {
            ScanRecord[] records;
            try {
                records = normalizing.remove().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("scan interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("scan normalizing failed", e.getCause());
            }
            for (ScanRecord r : records) {
                window.add(r);
            }
        }

        @Override
        public void run() {
            ExecutorService pool = Executors.newFixedThreadPool(normalizerCount, daemons("trailhound-scan-normalize-"));
            try {
                for (int part = 0; part < source.parts(); part++) {
                    String origin = source.origin(part);
                    int p = part;
                    int[] index = {0};
                    source.forEach(part, raw -> {
                        chunk.add(new Raw(raw, origin, p, index[0]++, records++));
                        if (chunk.size() == CHUNK) {
                            submit(pool);
                        }
                    });
                }
                if (!chunk.isEmpty()) {
                    submit(pool);
                }
                while (!normalizing.isEmpty()) {
                    takeNormalized();
                }
                window.flush();
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                pool.shutdownNow();
                try {
                    if (!batch.isEmpty()) {
                        send();
                    }
                    send();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void release(ScanRecord r) {
            Record<String, Normalized> normalized = ScanRecord.accepted(r);
            owners[batch.size()] = normalized == null ? 0 : ScanPipeline.pipelineOf(normalized.key(), threads);
            batch.add(r);
            if (batch.size() == BATCH) {
                try {
                    send();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("scan interrupted", e);
                }
            }
        }

        /** Hands the batch (empty: the end) to every pipeline. */
        private void send() throws InterruptedException {
            Batch b = new Batch(released, batch, batch.size() == BATCH ? owners : Arrays.copyOf(owners, batch.size()));
            for (BlockingQueue<Batch> q : handoff) {
                q.put(b);
            }
            released += batch.size();
            batch = new ArrayList<>(BATCH);
            owners = new int[BATCH];
        }
    }
}
