package io.trailhound.respond.aws;

import java.time.Duration;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Times every AWS HTTP attempt (retries count separately) and hands it to a listener: the AWS call latency metric. */
final class AwsCallTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("trailhound.call.started");

    private final Listener listener;

    AwsCallTimer(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            listener.called(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), context.httpResponse().statusCode(),
                Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** Receives one timed AWS call attempt. */
    @FunctionalInterface
    public interface Listener {

        /** {@code service} {@code operation} answered {@code httpStatus} after {@code took}. */
        void called(String service, String operation, int httpStatus, Duration took);
    }
}
