package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.avro.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Mode;

/**
 * The last step of an alert in the principal's task (#16): stamps its incident key ({@link IncidentKeys}) and its principal's
 * access summary (#15, a global store lookup, {@link AccessLookup}) and counts it, and,
 * live, records the detection latency from the raw record's append time; the follow-up processor's control records pass
 * unchanged. The topology then sends the alert, in the same transaction that read the raw record, to the alerts or the
 * signals topic by severity, and to the incident stage.
 */
final class AlertRouter implements Processor<String, Alert, String, Alert> {

    private final Mode mode;
    private final DetectionMetrics metrics;
    private final String accessStore;
    private ProcessorContext<String, Alert> context;
    private AccessLookup access;

    AlertRouter(Mode mode, DetectionMetrics metrics) {
        this(mode, metrics, null);
    }

    /** With {@code accessStore} (null: none), the global store of access summaries every alert's principal is looked up in. */
    AlertRouter(Mode mode, DetectionMetrics metrics, String accessStore) {
        this.mode = mode;
        this.metrics = metrics;
        this.accessStore = accessStore;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        if (accessStore != null) {
            this.access = new AccessLookup(context.getStateStore(accessStore));
        }
    }

    @Override
    public void process(Record<String, Alert> record) {
        if (FollowUpProcessor.isControl(record.key()) || record.value() == null) {
            context.forward(record);
            return;
        }
        Alert stamped = stamp(record.value(), access == null ? null : access.summary(record.value()));
        metrics.alert(stamped);
        Header append = record.headers().lastHeader(IncidentProcessor.APPEND_TIME_HEADER);
        if (append != null && mode == Mode.LIVE) {
            metrics.detectionLatency(System.currentTimeMillis() - Long.parseLong(new String(append.value(), StandardCharsets.UTF_8)));
        }
        context.forward(record.withKey(stamped.getAlertId()).withValue(stamped));
    }

    /** {@code alert} with its incident key. */
    static Alert stamp(Alert alert) {
        return stamp(alert, null);
    }

    /** {@code alert} with its incident key and, unless null, its principal's access summary. */
    static Alert stamp(Alert alert, AccessSummary summary) {
        Alert.Builder stamped = Alert.newBuilder(alert).setIncidentId(IncidentKeys.of(alert));
        return summary == null ? stamped.build() : stamped.setAccessSummary(summary).build();
    }
}
