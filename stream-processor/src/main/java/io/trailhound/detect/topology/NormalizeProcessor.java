package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.detect.normalize.Normalized;
import io.trailhound.detect.normalize.RecordNormalizer;

/**
 * Normalizes raw records, re-keys events by durable principal (findings by finding id) and moves the record timestamp to
 * event time; rejections keep their bytes and carry the reason in the {@value #REASON_HEADER} header.
 */
final class NormalizeProcessor implements Processor<String, byte[], String, Routed> {

    static final String REASON_HEADER = "trailhound.deadletter.reason";
    static final String TOPIC_HEADER = "trailhound.deadletter.topic";

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
        Routed routed = new Routed(n, record.value());
        if (n instanceof Normalized.Event e) {
            metrics.event();
            context.forward(record.withKey(e.event().getPrincipal().getPrincipalKey()).withValue(routed)
                    .withTimestamp(n.eventTimeMillis()));
        } else if (n instanceof Normalized.Finding f) {
            metrics.finding();
            context.forward(record.withKey(f.finding().getFindingId()).withValue(routed).withTimestamp(n.eventTimeMillis()));
        } else if (n instanceof Normalized.Rejected r) {
            metrics.rejected();
            String origin = context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("");
            LOG.warn("dead-lettered record {}: {}", origin, r.reason());
            record.headers().add(REASON_HEADER, r.reason().getBytes(StandardCharsets.UTF_8));
            record.headers().add(TOPIC_HEADER, origin.getBytes(StandardCharsets.UTF_8));
            context.forward(record.withValue(routed));
        }
    }
}
