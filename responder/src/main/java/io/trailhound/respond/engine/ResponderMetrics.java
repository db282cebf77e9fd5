package io.trailhound.respond.engine;

import java.time.Duration;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trailhound.avro.ResponseAction;

/**
 * The responder's metrics in Prometheus format: actions by runbook, action and outcome; the approval queue depth; the
 * duration of each executed step (its AWS calls, retries included); and the latency from an alert to its first executed
 * action.
 */
public final class ResponderMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer alertToFirstAction = Timer.builder("trailhound.responder.alert.to.first.action")
        .description("From an alert reaching the responder to its first executed action")
        .publishPercentiles(0.5, 0.99).register(registry);

    /** Registers the approval queue depth, read from {@code awaitingApproval} at each scrape. */
    public ResponderMetrics(Supplier<Number> awaitingApproval) {
        Gauge.builder("trailhound.responder.approvals.pending", () -> awaitingApproval.get().doubleValue())
            .description("Actions waiting for a human decision").register(registry);
    }

    /** Counts one audit record. */
    public void recorded(ResponseAction action) {
        Counter.builder("trailhound.responder.actions").description("Response actions by runbook, AWS action and outcome")
            .tag("runbook", action.getRunbook()).tag("action", action.getAwsAction()).tag("status", action.getStatus().name())
            .register(registry).increment();
    }

    /** Counts a step run again from its write-ahead intent after an interruption (#17). */
    public void resumed() {
        Counter.builder("trailhound.responder.steps.resumed")
            .description("Steps run again from their write-ahead intent after an interruption (the AWS effect is checked first)")
            .register(registry).increment();
    }

    /** Records how long executing one step of {@code action} took. */
    public void stepExecuted(String action, Duration took) {
        Timer.builder("trailhound.responder.aws.step").description("Duration of an executed step's AWS calls, retries included")
            .tag("action", action).register(registry).record(took);
    }

    /** Records one AWS call attempt (retries separately) by service, operation and HTTP status class. */
    public void awsCall(String service, String operation, int httpStatus, Duration took) {
        Timer.builder("trailhound.responder.aws.call").description("Latency of each AWS call attempt, retries separately")
            .tag("service", String.valueOf(service)).tag("operation", String.valueOf(operation))
            .tag("status", httpStatus / 100 + "xx").register(registry).record(took);
    }

    /** Counts one batch retried after a transient Kafka failure (#17). */
    public void kafkaRetry() {
        Counter.builder("trailhound.responder.kafka.retries").description("Batches handled again after a transient Kafka failure")
            .register(registry).increment();
    }

    /**
     * Counts one record refused before anything was done (#19): {@code what} is {@code decision}, {@code alert} or
     * {@code incident}; {@code why} the refusal's short code (unsigned, bad-signature, out-of-scope, ...).
     */
    public void refused(String what, String why) {
        Counter.builder("trailhound.responder.refused").description("Decisions, alerts and incidents refused as unauthenticated, "
                + "unauthorized, expired or replayed").tag("what", what).tag("why", why).register(registry).increment();
    }

    /** Records the latency from an alert to its first executed action. */
    public void firstAction(Duration latency) {
        alertToFirstAction.record(latency);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
