package io.trailhound.access;

import java.util.List;

/**
 * A documented way from one principal to another or to administrator, with its pathfinding reference id, the permissions
 * the reference lists as required, the service principal a passed role must trust (PassRole techniques), and a prerequisite
 * a snapshot of IAM cannot check (an existing resource, a login profile), which makes its edges CONDITIONAL.
 */
public record Technique(String id, Category category, List<String> required, List<String> trustedServices, String prerequisite,
                        boolean needsInstanceProfile) {

    /** How the technique reaches its target. */
    public enum Category {
        /** sts:AssumeRole with the role's trust policy. */
        ASSUME_ROLE,
        /** Rewrite a role's trust policy, then assume it. */
        TRUST_TAKEOVER,
        /** Give oneself (or one's group) more permissions. */
        SELF_ESCALATION,
        /** Create or reset credentials of another user. */
        CREDENTIALS,
        /** Grant a target more permissions, then act as it. */
        MODIFY_THEN_ACCESS,
        /** Pass a role to a service that runs code with it. */
        PASS_ROLE
    }

    public Technique {
        required = List.copyOf(required);
        trustedServices = List.copyOf(trustedServices);
    }

    /** The required permissions other than iam:PassRole. */
    List<String> serviceActions() {
        return required.stream().filter(p -> !"iam:PassRole".equals(p)).toList();
    }
}
