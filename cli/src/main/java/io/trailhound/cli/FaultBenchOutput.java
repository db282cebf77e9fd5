package io.trailhound.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

import io.trailhound.avro.Alert;
import io.trailhound.topic.DeadLetters;
import io.trailhound.topic.Topics;

/**
 * What the stream processor wrote, read as a downstream consumer reads it ({@code read_committed}: aborted transactions of a
 * killed processor are not seen): normalized events (with their broker append times), alert records as (alert id, count)
 * keys, and dead letters with their reasons.
 */
final class FaultBenchOutput implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<Alert> alerts;
    private final List<Long> eventAppends = new ArrayList<>();
    private final List<Long> appends = new ArrayList<>();
    private final List<String> alertKeys = new ArrayList<>();
    private final List<String> dedupKeys = new ArrayList<>();
    private final Map<String, Long> finalCounts = new HashMap<>();
    private long deadLetters;
    private long deadLettersWithoutReason;
    private String sampleReason = "";

    FaultBenchOutput(String bootstrap, Deserializer<Alert> alerts) {
        this.consumer = DetectBenchKafka.consumer(bootstrap);
        this.alerts = alerts;
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.EVENTS, Topics.ALERTS, Topics.SIGNALS, Topics.DEADLETTER)) {
            partitions.addAll(DetectBenchKafka.partitions(consumer, topic));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived within {@code wait}. */
    void poll(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            switch (record.topic()) {
                case Topics.EVENTS -> {
                    eventAppends.add(record.timestamp());
                    appended(record.timestamp());
                }
                case Topics.ALERTS, Topics.SIGNALS -> {
                    Alert alert = alerts.deserialize(record.topic(), record.value());
                    alertKeys.add(alert.getAlertId() + "#" + alert.getCount());
                    dedupKeys.add(alert.getDedupKey() + "#" + alert.getCount());
                    finalCounts.merge(alert.getAlertId(), alert.getCount(), Math::max);
                }
                default -> deadLetter(record);
            }
        }
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record) {
        deadLetters++;
        appended(record.timestamp());
        Header reason = record.headers().lastHeader(DeadLetters.REASON);
        String text = reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            deadLettersWithoutReason++;
        } else if (sampleReason.isEmpty()) {
            sampleReason = text;
        }
    }

    private void appended(long timestamp) {
        appends.add(timestamp);
    }

    long events() {
        return eventAppends.size();
    }

    long deadLetters() {
        return deadLetters;
    }

    long deadLettersWithoutReason() {
        return deadLettersWithoutReason;
    }

    String sampleReason() {
        return sampleReason;
    }

    /** Every alert record as {@code alertId#count}, in the order read (a record read twice appears twice). */
    List<String> alertKeys() {
        return List.copyOf(alertKeys);
    }

    /**
     * Every alert record as {@code dedupKey#count}: rule, principal and entity with the occurrence, the same whichever of a
     * group's events arrived first (the alert id names the first).
     */
    List<String> dedupKeys() {
        return List.copyOf(dedupKeys);
    }

    /** The last count of every alert id: the alerts as a user sees them once everything is processed. */
    Map<String, Long> finalCounts() {
        return Map.copyOf(finalCounts);
    }

    /**
     * Input records handled per second (events plus dead letters) in the steady middle of the run: between the broker append
     * times of the records at the first and third quartile, so the processor's start-up and the last commit do not count.
     */
    double recordsPerSecond() {
        List<Long> sorted = appends.stream().sorted().toList();
        if (sorted.size() < 8) {
            return Double.NaN;
        }
        int from = sorted.size() / 4;
        int to = sorted.size() * 3 / 4;
        long span = sorted.get(to) - sorted.get(from);
        return span <= 0 ? Double.NaN : (to - from) * 1000.0 / span;
    }

    /** Events appended between {@code from} and {@code to} (wall clock). */
    long eventsBetween(long from, long to) {
        return eventAppends.stream().filter(t -> t >= from && t < to).count();
    }

    /** Milliseconds from {@code since} (wall clock) to the first event appended after it, or -1 if none was. */
    long firstEventAfter(long since) {
        return eventAppends.stream().filter(t -> t >= since).mapToLong(t -> t - since).min().orElse(-1);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
