package io.trailhound.respond.aws;

import java.util.Map;

/**
 * What an approver must see before deciding on a step, read from AWS when the approval is requested (#18: the exact trust
 * policy diff): the request's details, and parameters the waiting step keeps so the executor acts on exactly what was shown.
 *
 * @param details    JSON text for the approval request's {@code details}
 * @param parameters parameters added to the waiting step (e.g. a digest of the state shown)
 */
public record ApprovalPreview(String details, Map<String, String> parameters) {

    /** Copies the parameters. */
    public ApprovalPreview {
        parameters = Map.copyOf(parameters);
    }
}
