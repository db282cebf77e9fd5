package io.trailhound.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * A fixed offered load for {@code trailhound bench detect}: raw records written at a steady rate (a fraction of them
 * suspicious) while a read_committed consumer reads what the topology wrote. The latency of an output record is measured
 * from the broker append time of the newest raw record it names (the triggering event) to the moment the record became
 * readable (committed and fetched), and also to its own broker append time.
 */
final class DetectBenchLoad {

    /** How long to keep reading after the last raw record was written, once nothing new arrives. */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final Duration MAX_DRAIN = Duration.ofSeconds(30);
    /** The first seconds of a load, told apart from the rest to see whether the tail is the start or steady. */
    static final Duration START = Duration.ofSeconds(5);

    /**
     * Latencies in milliseconds of every matched output record, and what was offered; {@code settledMillis} only of those whose
     * raw record was appended after the {@link #START} of the load; {@code worst} the slowest, each with when its raw record
     * was appended (seconds after the load began).
     */
    record Result(long offered, long suspicious, double offeredPerSecond, long outputs, long unmatched, long[] visibleMillis,
                  long[] appendMillis, long[] settledMillis, String worst) {
        double visible(double quantile) {
            return percentile(visibleMillis, quantile);
        }

        double settled(double quantile) {
            return percentile(settledMillis, quantile);
        }

        double append(double quantile) {
            return percentile(appendMillis, quantile);
        }
    }

    private final String bootstrap;
    private final DetectBenchTrail trail;
    private final String rawTopic;
    private final int rate;
    private final Duration duration;
    private final double suspiciousFraction;
    private final Map<String, Long> appended = new ConcurrentHashMap<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong suspicious = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile double writerSeconds;

    /**
     * A load of {@code rate} records/s to {@code rawTopic} for {@code duration}, a {@code suspiciousFraction} of them from
     * {@link DetectBenchTrail#suspicious}.
     */
    DetectBenchLoad(String bootstrap, DetectBenchTrail trail, String rawTopic, int rate, Duration duration, double suspiciousFraction) {
        this.bootstrap = bootstrap;
        this.trail = trail;
        this.rawTopic = rawTopic;
        this.rate = rate;
        this.duration = duration;
        this.suspiciousFraction = suspiciousFraction;
    }

    /**
     * Offers the load and measures the records that appear in {@code outputTopic} meanwhile; {@code eventIds} names the raw
     * event ids an output record stems from. Use each instance once.
     */
    Result run(String outputTopic, Function<ConsumerRecord<byte[], byte[]>, List<String>> eventIds, DetectBenchApp app)
        throws InterruptedException {
        Map<TopicPartition, Long> from = DetectBenchKafka.endOffsets(bootstrap, outputTopic);
        List<Long> visible = new ArrayList<>();
        List<Long> append = new ArrayList<>();
        List<Long> settled = new ArrayList<>();
        List<long[]> latencyAt = new ArrayList<>();
        long unmatched = 0;
        long outputs = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = DetectBenchKafka.consumer(bootstrap)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Thread writer = new Thread(this::offer, "bench-detect-load");
            long loadStart = System.currentTimeMillis();
            writer.start();
            long lastOutput = System.currentTimeMillis();
            long writerDoneAt = 0;
            while (true) {
                app.checkAlive();
                if (failure.get() != null) {
                    throw new IllegalStateException("offered load failed: " + failure.get(), failure.get());
                }
                long now = System.currentTimeMillis();
                if (!writer.isAlive()) {
                    writerDoneAt = writerDoneAt == 0 ? now : writerDoneAt;
                    if (now - lastOutput > QUIET.toMillis() || now - writerDoneAt > MAX_DRAIN.toMillis()) {
                        break;
                    }
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long seen = System.currentTimeMillis();
                    lastOutput = seen;
                    outputs++;
                    long trigger = eventIds.apply(record).stream().map(appended::get).filter(t -> t != null)
                        .mapToLong(Long::longValue).max().orElse(-1);
                    if (trigger < 0) {
                        unmatched++;
                        continue;
                    }
                    visible.add(seen - trigger);
                    append.add(record.timestamp() - trigger);
                    latencyAt.add(new long[] {seen - trigger, trigger - loadStart});
                    if (trigger - loadStart >= START.toMillis()) {
                        settled.add(seen - trigger);
                    }
                }
            }
            writer.join();
            return new Result(offered.get(), suspicious.get(), offered.get() / Math.max(writerSeconds, 1e-3), outputs, unmatched,
                sorted(visible), sorted(append), sorted(settled), worst(latencyAt));
        }
    }

    /** Writes at a steady rate, recording each record's broker append time by event id. */
    private void offer() {
        SplittableRandom dice = new SplittableRandom(7);
        long total = (long) rate * duration.toMillis() / 1000;
        try (KafkaProducer<String, byte[]> producer = DetectBenchKafka.producer(bootstrap)) {
            long start = System.nanoTime();
            long sent = 0;
            while (sent < total && failure.get() == null) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                for (; sent < due; sent++) {
                    Instant now = Instant.now();
                    boolean alerting = dice.nextDouble() < suspiciousFraction;
                    DetectBenchTrail.Event event = alerting ? trail.suspicious(now) : trail.ordinary(now);
                    suspicious.addAndGet(alerting ? 1 : 0);
                    producer.send(DetectBenchKafka.record(rawTopic, event, false), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        } else {
                            appended.put(event.eventId(), metadata.timestamp());
                        }
                    });
                    offered.incrementAndGet();
                }
                LockSupport.parkNanos(1_000_000L);
            }
            producer.flush();
            writerSeconds = (System.nanoTime() - start) / 1e9;
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** The five slowest, as "latency ms @ +seconds after the load began". */
    private static String worst(List<long[]> latencyAt) {
        StringBuilder text = new StringBuilder();
        latencyAt.stream().sorted((a, b) -> Long.compare(b[0], a[0])).limit(5)
            .forEach(l -> text.append(text.isEmpty() ? "" : ", ").append(l[0]).append(" ms @ +")
                .append(String.format(Locale.ROOT, "%.1f", l[1] / 1000.0)).append(" s"));
        return text.toString();
    }

    private static long[] sorted(List<Long> values) {
        long[] array = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(array);
        return array;
    }

    /** The nearest-rank percentile of sorted {@code values}; NaN when there are none. */
    static double percentile(long[] values, double quantile) {
        if (values.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }
}
