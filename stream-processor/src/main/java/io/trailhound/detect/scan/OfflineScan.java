package io.trailhound.detect.scan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.DetectionMetrics;
import io.trailhound.detect.topology.DetectionProcessors;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.topic.Topics;

/**
 * Runs the live detection topology's processors offline (#16 item 5), without Kafka Streams: {@link ScanPipeline} drives them
 * as one stream task would, with in-memory stores. The input is streamed: one thread reads and normalizes it and puts it in
 * event-time order within the lateness ({@link EventTimeWindow}), the calling thread runs the stateful pipeline; the result
 * is the final state of every alert (a suppressed repeat updates its alert's count).
 */
public final class OfflineScan {

    /** Default lateness of the event-time window: records up to this much out of order are scanned in order. */
    public static final Duration DEFAULT_LATENESS = Duration.ofMinutes(15);
    /** A lateness no input exceeds: the whole input is sorted (held in memory), as the scan did before #16. */
    public static final Duration UNBOUNDED = Duration.ofMillis(Long.MAX_VALUE / 4);
    /** Header naming where a raw record came from, as the connector names the S3 key. */
    static final String ORIGIN_HEADER = ScanNormalizer.ORIGIN_HEADER;

    private static final int BATCH = 256;

    private final Map<String, Object> settings;
    private final RuleCatalog catalog;
    private final Duration lateness;

    /** @param settings stream-processor configuration ({@link StreamProcessorConfig} keys); the mode defaults to REPLAY */
    public OfflineScan(Map<String, ?> settings, RuleCatalog catalog) {
        this(settings, catalog, DEFAULT_LATENESS);
    }

    /** A scan putting its input in event-time order within {@code lateness}. */
    public OfflineScan(Map<String, ?> settings, RuleCatalog catalog, Duration lateness) {
        this.settings = new HashMap<>(settings);
        this.settings.putIfAbsent(StreamProcessorConfig.MODE_CONFIG, "REPLAY");
        this.catalog = catalog;
        this.lateness = lateness;
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
        ScanPipeline pipeline = new ScanPipeline(processors, output);
        ScanNormalizer normalizer = new ScanNormalizer(processors, Topics.CLOUDTRAIL_RAW, Topics.GUARDDUTY_RAW);
        BlockingQueue<List<ScanRecord>> handoff = new ArrayBlockingQueue<>(64);
        Reader reader = new Reader(source, normalizer, handoff);
        Thread thread = new Thread(reader, "trailhound-scan-reader");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                List<ScanRecord> batch = handoff.take();
                if (batch.isEmpty()) {
                    break;
                }
                batch.forEach(pipeline::accept);
            }
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        }
        if (reader.failure != null) {
            throw reader.failure;
        }
        ScanRecord first = reader.window.firstLate();
        String firstLate = first == null ? null : (source.origin(first.part()) == null ? "record " + (first.index() + 1)
                : source.origin(first.part()) + " record " + (first.index() + 1));
        return new Summary(reader.records, pipeline.deadLettered(), pipeline.held(), reader.window.late(), firstLate);
    }

    /** Reads, normalizes and orders the input on its own thread, handing batches of ordered records over. */
    private final class Reader implements Runnable {
        private final ScanSource source;
        private final ScanNormalizer normalizer;
        private final BlockingQueue<List<ScanRecord>> handoff;
        private final EventTimeWindow window;
        private List<ScanRecord> batch = new ArrayList<>(BATCH);
        private long records;
        private volatile RuntimeException failure;

        Reader(ScanSource source, ScanNormalizer normalizer, BlockingQueue<List<ScanRecord>> handoff) {
            this.source = source;
            this.normalizer = normalizer;
            this.handoff = handoff;
            this.window = new EventTimeWindow(lateness, this::release);
        }

        @Override
        public void run() {
            try {
                for (int part = 0; part < source.parts(); part++) {
                    String origin = source.origin(part);
                    int p = part;
                    int[] index = {0};
                    source.forEach(part, raw -> window.add(normalizer.normalize(raw, origin, p, index[0]++, records++)));
                }
                window.flush();
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                try {
                    if (!batch.isEmpty()) {
                        handoff.put(batch);
                    }
                    handoff.put(List.of());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void release(ScanRecord r) {
            batch.add(r);
            if (batch.size() == BATCH) {
                try {
                    handoff.put(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("scan interrupted", e);
                }
                batch = new ArrayList<>(BATCH);
            }
        }
    }
}
