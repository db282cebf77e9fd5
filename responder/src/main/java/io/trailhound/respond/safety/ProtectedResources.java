package io.trailhound.respond.safety;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.trailhound.avro.Alert;
import io.trailhound.respond.aws.MemberRoleGuards;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.GlobPattern;
import io.trailhound.respond.runbook.Step;

/**
 * Principals and resources the responder never contains: configured ARN globs (break-glass roles, say), plus always the
 * responder's own role in every account, so it can neither lock itself out nor be turned against itself, and every role and
 * user under the IAM path {@value MemberRoleGuards#PROTECTED_PATH} (which the member role's policy denies it to change).
 */
public final class ProtectedResources {

    private final List<GlobPattern> patterns;

    /**
     * @param globs          ARN globs of protected principals and resources
     * @param ownRoleName    name of the role the responder assumes in every account (protected in all of them)
     * @param ownIdentityArn ARN of the responder's own identity; empty when unknown
     */
    public ProtectedResources(List<String> globs, String ownRoleName, String ownIdentityArn) {
        List<GlobPattern> all = new ArrayList<>();
        globs.stream().map(String::trim).filter(glob -> !glob.isEmpty()).map(GlobPattern::new).forEach(all::add);
        if (!ownRoleName.isBlank()) {
            all.add(new GlobPattern("arn:*:iam::*:role/" + ownRoleName));
            all.add(new GlobPattern("arn:*:iam::*:role/*/" + ownRoleName));
            all.add(new GlobPattern("arn:*:sts::*:assumed-role/" + ownRoleName + "/*"));
        }
        if (!ownIdentityArn.isBlank()) {
            all.add(new GlobPattern(ownIdentityArn));
        }
        // principals under the path the member role's policy never lets it change (#19): refused here, not failed in AWS
        all.add(new GlobPattern("arn:*:iam::*:role" + MemberRoleGuards.PROTECTED_PATH + "*"));
        all.add(new GlobPattern("arn:*:iam::*:user" + MemberRoleGuards.PROTECTED_PATH + "*"));
        this.patterns = List.copyOf(all);
    }

    /**
     * Why {@code step} must not run, or empty when nothing it touches is protected: its resource, and for credential
     * containment the alert's principal (durable and session ARN). Escalations to humans are never suppressed.
     */
    public Optional<String> refusal(Alert alert, Step step) {
        if (step.action() == AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN) {
            return Optional.empty();
        }
        Optional<GlobPattern> hit = match(step.resource());
        if (hit.isEmpty() && alert.getPrincipal() != null && step.service().equals("iam")) {
            hit = match(alert.getPrincipal().getArn()).or(() -> match(alert.getPrincipal().getSessionArn()));
        }
        return hit.map(glob -> "protected: " + step.resource() + " matches protected pattern " + glob);
    }

    /** The first pattern matching {@code arn}. */
    public Optional<GlobPattern> match(String arn) {
        return patterns.stream().filter(glob -> glob.matches(arn)).findFirst();
    }
}
