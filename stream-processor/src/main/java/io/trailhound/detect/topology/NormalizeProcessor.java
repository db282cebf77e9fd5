package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.RecordNormalizer;
import io.trailhound.topic.DeadLetters;

/**
 * Normalizes raw records, keys events by durable principal (findings by finding id), tells whether the raw record already
 * carried that key (then it needs no repartition), and moves the record timestamp to
 * event time (the raw record's own timestamp, its append time, travels on in the {@value IncidentProcessor#APPEND_TIME_HEADER}
 * header for the detection-latency timer); rejections keep their bytes and carry the shared dead-letter headers
 * ({@link DeadLetters}: reason, component, source topic and offset).
 */
final class NormalizeProcessor implements Processor<String, byte[], String, Routed> {

    static final String REASON_HEADER = DeadLetters.REASON;
    static final String COMPONENT = "stream-processor";

    private static final Logger LOG = LoggerFactory.getLogger(NormalizeProcessor.class);

    private final RecordNormalizer normalizer;
    private final DetectionMetrics metrics;
    private ProcessorContext<String, Routed> context;

    NormalizeProcessor(RecordNormalizer normalizer, DetectionMetrics metrics) {
        this.normalizer = normalizer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Normalized n = normalizer.normalize(record.value());
        String key = n instanceof Normalized.Event e ? e.event().getPrincipal().getPrincipalKey()
                : n instanceof Normalized.Finding f ? f.finding().getFindingId() : record.key();
        boolean keyed = key != null && key.equals(record.key());
        Routed routed = new Routed(n, record.value(), keyed);
        if (!(n instanceof Normalized.Rejected)) {
            record.headers().remove(IncidentProcessor.APPEND_TIME_HEADER);
            record.headers().add(IncidentProcessor.APPEND_TIME_HEADER, Long.toString(record.timestamp()).getBytes(StandardCharsets.UTF_8));
        }
        if (n instanceof Normalized.Event) {
            metrics.event(keyed);
            context.forward(record.withKey(key).withValue(routed).withTimestamp(n.eventTimeMillis()));
        } else if (n instanceof Normalized.Finding) {
            metrics.finding();
            context.forward(record.withKey(key).withValue(routed).withTimestamp(n.eventTimeMillis()));
        } else if (n instanceof Normalized.Rejected r) {
            metrics.rejected();
            String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
            String offset = context.recordMetadata().map(m -> m.partition() + ":" + m.offset()).orElse("");
            LOG.warn("dead-lettered record {} {}: {}", topic, offset, r.reason());
            record.headers().add(DeadLetters.REASON, r.reason().getBytes(StandardCharsets.UTF_8));
            record.headers().add(DeadLetters.COMPONENT, COMPONENT.getBytes(StandardCharsets.UTF_8));
            record.headers().add(DeadLetters.SOURCE_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
            record.headers().add(DeadLetters.SOURCE_OFFSET, offset.getBytes(StandardCharsets.UTF_8));
            context.forward(record.withValue(routed));
        }
    }
}
