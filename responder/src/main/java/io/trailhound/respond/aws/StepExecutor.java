package io.trailhound.respond.aws;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;

/**
 * Carries out one kind of runbook step through the AWS SDK. Every executor reads the current state first and changes only
 * what is not yet as wanted, so running a step twice (after a crash, or a re-delivered alert) changes nothing the second
 * time. AWS errors propagate as SDK exceptions; the caller turns them into a failed outcome.
 */
public interface StepExecutor {

    /** Executes {@code step} with {@code aws}. */
    StepOutcome execute(PlannedStep step, AwsClients aws);

    /**
     * What the approval request for {@code step} must show, read from AWS (reads only, nothing changes); empty for steps
     * whose parameters say it all. {@code aws} gives the clients only when asked: most steps read nothing.
     */
    default Optional<ApprovalPreview> preview(PlannedStep step, Supplier<AwsClients> aws) {
        return Optional.empty();
    }

    /** Every AWS action (IAM policy notation) this executor may call: the responder role's policy is their union. */
    Set<AwsAction> awsActions();
}
