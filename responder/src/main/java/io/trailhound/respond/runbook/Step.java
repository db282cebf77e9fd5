package io.trailhound.respond.runbook;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One planned runbook step: an AWS action in IAM notation ({@code service:Operation}) on one resource, with its parameters.
 *
 * @param name             step name, unique within its runbook, e.g. {@code deactivate-access-keys}
 * @param phase            phase the step belongs to
 * @param action           the action, e.g. {@link AwsAction#IAM_UPDATE_ACCESS_KEY}; {@code trailhound:*} ones call no AWS API
 * @param resource         ARN of the resource the step acts on
 * @param parameters       action parameters as text, sorted by name; no secrets
 * @param destructive      whether the step cannot be undone (terminate, delete, detach) and so always needs approval
 * @param requiresApproval whether the step waits for a human decision before it runs
 */
public record Step(String name, Phase phase, AwsAction action, String resource, Map<String, String> parameters,
                   boolean destructive, boolean requiresApproval) {

    /** Validates and copies the parameters into a sorted, immutable map; destructive steps always need approval. */
    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        requiresApproval = requiresApproval || destructive;
    }

    /** A reversible step that runs without approval. */
    public static Step of(String name, Phase phase, AwsAction action, String resource, Map<String, String> parameters) {
        return new Step(name, phase, action, resource, parameters, false, false);
    }

    /** A destructive step: it runs only after a human approved it. */
    public static Step destructive(String name, Phase phase, AwsAction action, String resource, Map<String, String> parameters) {
        return new Step(name, phase, action, resource, parameters, true, true);
    }

    /** This step, waiting for approval. */
    public Step withApprovalRequired() {
        return new Step(name, phase, action, resource, parameters, destructive, true);
    }

    /** Parameter marking a best-effort step: its failure does not stop later steps on the same resource. */
    public static final String ON_FAILURE = "OnFailure";

    /**
     * Parameter of a release step (#14): the action id of the containment step it undoes. Such a step runs through the
     * release executor, which checks the resource is still as the containment left it, whatever its AWS action.
     */
    public static final String RELEASES = "Releases";

    /**
     * Parameter of a step that always waits for approval: why, in words, as the approval request and the audit record show
     * it (#15: the path by which an administrator role is reachable from the compromised identity). Not sent to AWS.
     */
    public static final String APPROVAL_REASON = "ApprovalReason";

    /** Whether this step undoes a containment step (see {@link #RELEASES}). */
    public boolean isRelease() {
        return parameters.containsKey(RELEASES);
    }

    /** Whether later steps on the same resource still run when this one fails. */
    public boolean continuesOnFailure() {
        return "continue".equals(parameters.get(ON_FAILURE));
    }

    /** The AWS service part of the action, e.g. {@code iam}. */
    public String service() {
        return action.service();
    }
}
