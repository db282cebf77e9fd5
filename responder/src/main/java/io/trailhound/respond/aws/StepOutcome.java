package io.trailhound.respond.aws;

import java.util.List;

import io.trailhound.avro.ActionStatus;

/**
 * What executing one step did: its final status, the request ids of the AWS calls that changed state (or of the reads
 * when nothing needed changing), what was found or done, how to undo it, and the AWS error when it failed.
 *
 * @param status       EXECUTED, SKIPPED or FAILED
 * @param requestIds   AWS request ids, in call order
 * @param details      JSON text of what was found or done; no secrets
 * @param rollback     JSON text saying how to undo the step; {@code null} when there is nothing to undo
 * @param reason       why nothing was changed or the step was skipped; {@code null} otherwise
 * @param errorCode    AWS error code of a failure, e.g. {@code AccessDenied}
 * @param errorMessage message of a failure
 */
public record StepOutcome(ActionStatus status, List<String> requestIds, String details, String rollback, String reason,
                          String errorCode, String errorMessage) {

    /** Copies the request ids. */
    public StepOutcome {
        requestIds = List.copyOf(requestIds);
    }

    /** The step changed what it had to. */
    public static StepOutcome executed(List<String> requestIds, String details, String rollback) {
        return new StepOutcome(ActionStatus.EXECUTED, requestIds, details, rollback, null, null, null);
    }

    /** The resource was already in the wanted state, so nothing was changed; final like an execution. */
    public static StepOutcome alreadyDone(List<String> requestIds, String details, String reason) {
        return new StepOutcome(ActionStatus.EXECUTED, requestIds, details, null, reason, null, null);
    }

    /** A rule found at execution time (e.g. a protecting tag) suppressed the step. */
    public static StepOutcome skipped(List<String> requestIds, String reason) {
        return new StepOutcome(ActionStatus.SKIPPED, requestIds, null, null, reason, null, null);
    }

    /** The step failed with an AWS error code (or a client-side code when AWS never answered). */
    public static StepOutcome failed(List<String> requestIds, String errorCode, String errorMessage) {
        return new StepOutcome(ActionStatus.FAILED, requestIds, null, null, null, errorCode, errorMessage);
    }

    /** The request ids as one text, comma-separated; {@code null} when no call was made. */
    public String requestIdText() {
        return requestIds.isEmpty() ? null : String.join(",", requestIds);
    }
}
