package io.trailhound.detect.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether a Kafka Streams application has processed its input up to given end offsets and drained its repartition topics.
 * Committed offsets alone cannot say it when transaction markers sit at the end of a partition (a committed offset stops just
 * before a marker), so a partition whose committed offset is behind its end is probed with a read-committed consumer: done when
 * no record lies between the two.
 */
final class CaughtUp {

    private static final Duration PROBE_POLL = Duration.ofMillis(200);
    private static final int PROBE_POLLS = 5;

    private final Admin admin;
    private final Consumer<byte[], byte[]> probe;
    private final String groupId;

    CaughtUp(Admin admin, Consumer<byte[], byte[]> probe, String groupId) {
        this.admin = admin;
        this.probe = probe;
        this.groupId = groupId;
    }

    /** Latest read-committed offsets of every partition of {@code topics}. */
    Map<TopicPartition, Long> endOffsets(List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
            d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * True when the group has processed every record of the input before {@code inputEnds}, and then, in topology order, every
     * committed record of each of {@code repartitionTopics} (checked in order, so a record still on its way is always seen).
     */
    boolean check(Map<TopicPartition, Long> inputEnds, List<String> repartitionTopics) throws ExecutionException, InterruptedException {
        if (!done(inputEnds)) {
            return false;
        }
        for (String topic : repartitionTopics) {
            Map<TopicPartition, Long> ends;
            try {
                ends = endOffsets(List.of(topic));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    return false;
                }
                throw e;
            }
            if (!done(ends)) {
                return false;
            }
        }
        return true;
    }

    private boolean done(Map<TopicPartition, Long> ends) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        List<TopicPartition> behind = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (c == null || c.offset() < e.getValue()) {
                behind.add(e.getKey());
            }
        }
        for (TopicPartition tp : behind) {
            OffsetAndMetadata c = committed.get(tp);
            if (!nothingBetween(tp, c == null ? 0 : c.offset(), ends.get(tp))) {
                return false;
            }
        }
        return true;
    }

    /** True when no committed record lies in [from, end) of {@code tp}. */
    private boolean nothingBetween(TopicPartition tp, long from, long end) {
        probe.assign(List.of(tp));
        probe.seek(tp, from);
        for (int i = 0; i < PROBE_POLLS; i++) {
            for (ConsumerRecord<byte[], byte[]> r : probe.poll(PROBE_POLL).records(tp)) {
                if (r.offset() < end) {
                    return false;
                }
            }
            if (probe.position(tp) >= end) {
                return true;
            }
        }
        return false;
    }
}
