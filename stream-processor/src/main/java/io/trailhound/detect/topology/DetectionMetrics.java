package io.trailhound.detect.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.trailhound.avro.Alert;

/**
 * The stream processor's own meters: records normalized by outcome (events and findings in, parse failures as {@code rejected}),
 * records that arrived without their principal key, alerts by rule and severity, shadow-rule matches, detection latency
 * (percentiles).
 */
public final class DetectionMetrics {

    private final MeterRegistry registry;
    private final Counter events;
    private final Counter findings;
    private final Counter rejected;
    private final Counter unkeyed;
    private final Timer latency;
    private final Map<String, Counter> alertCounters = new ConcurrentHashMap<>();

    /** Meters registered in {@code registry}. */
    public DetectionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.events = normalized("event");
        this.findings = normalized("finding");
        this.rejected = normalized("rejected");
        this.unkeyed = Counter.builder("trailhound.records.unkeyed")
                .description("CloudTrail records that did not arrive keyed by their durable principal (a producer without the "
                        + "PrincipalKey transform) and so took the by-principal repartition")
                .register(registry);
        this.latency = Timer.builder("trailhound.detection.latency")
                .description("Wall-clock time from the raw record's append time (its Kafka timestamp) to its alert leaving the "
                        + "topology, live mode only")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
    }

    /** The registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The detection-latency timer. */
    public Timer detectionLatency() {
        return latency;
    }

    /** Meters that go nowhere, for offline scans and tests. */
    public static DetectionMetrics none() {
        return new DetectionMetrics(new SimpleMeterRegistry());
    }

    private Counter normalized(String outcome) {
        return Counter.builder("trailhound.records.normalized").description("Raw records normalized, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    void event(boolean keyed) {
        events.increment();
        if (!keyed) {
            unkeyed.increment();
        }
    }

    /** CloudTrail records that arrived without their principal key so far. */
    public double unkeyedRecords() {
        return unkeyed.count();
    }

    void finding() {
        findings.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void alert(Alert alert) {
        // one counter per rule and severity (a few hundred at most), looked up, not built and registered, per alert
        alertCounters.computeIfAbsent(alert.getRuleId() + '|' + alert.getSeverity().name(), k -> Counter.builder("trailhound.alerts")
                .description("Alerts emitted (repeats under suppression included), by rule and severity")
                .tag("rule", alert.getRuleId()).tag("severity", alert.getSeverity().name()).register(registry)).increment();
    }

    void detectionLatency(long millis) {
        latency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void shadow(String ruleId) {
        Counter.builder("trailhound.rules.shadow.matches").description("Matches of rules in shadow mode (not emitted)")
                .tag("rule", ruleId).register(registry).increment();
    }
}
