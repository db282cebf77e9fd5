package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;

/**
 * The last step of an alert in the principal's task (#16): stamps its incident key ({@link IncidentKeys}) and counts it, and,
 * live, records the detection latency from the raw record's append time; the follow-up processor's control records pass
 * unchanged. The topology then sends the alert, in the same transaction that read the raw record, to the alerts or the
 * signals topic by severity, and to the incident stage.
 */
final class AlertRouter implements Processor<String, Alert, String, Alert> {

    private final Mode mode;
    private final DetectionMetrics metrics;
    private ProcessorContext<String, Alert> context;

    AlertRouter(Mode mode, DetectionMetrics metrics) {
        this.mode = mode;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Alert> record) {
        if (FollowUpProcessor.isControl(record.key()) || record.value() == null) {
            context.forward(record);
            return;
        }
        Alert stamped = stamp(record.value());
        metrics.alert(stamped);
        Header append = record.headers().lastHeader(IncidentProcessor.APPEND_TIME_HEADER);
        if (append != null && mode == Mode.LIVE) {
            metrics.detectionLatency(System.currentTimeMillis() - Long.parseLong(new String(append.value(), StandardCharsets.UTF_8)));
        }
        context.forward(record.withKey(stamped.getAlertId()).withValue(stamped));
    }

    /** {@code alert} with its incident key. */
    static Alert stamp(Alert alert) {
        return Alert.newBuilder(alert).setIncidentId(IncidentKeys.of(alert)).build();
    }
}
