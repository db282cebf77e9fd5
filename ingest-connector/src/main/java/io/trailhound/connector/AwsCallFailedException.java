package io.trailhound.connector;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * An AWS call that must not be retried (or no longer: credentials still rejected after aws.credentials.retry.ms); its message
 * names the service, operation, resource, error code and what to fix, and becomes the FAILED task's trace.
 */
public final class AwsCallFailedException extends ConnectException {

    private static final long serialVersionUID = 1L;

    private final transient AwsFailure failure;

    /** The task-failing form of {@code failure}, with {@code message} (the failure's own, or with the time retried). */
    public AwsCallFailedException(AwsFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    /** The classified failure. */
    public AwsFailure failure() {
        return failure;
    }
}
