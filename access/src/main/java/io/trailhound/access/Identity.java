package io.trailhound.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An IAM user or role of the snapshot with what decides its permissions: inline policies, attached managed policy ARNs,
 * groups (users), permissions boundary ARN, trust policy (roles), whether it has an instance profile (roles), and when it
 * was last used if GAAD says ({@code RoleLastUsed}, {@code PasswordLastUsed}).
 */
public record Identity(String arn, String accountId, Caller.Kind kind, String name, List<PolicyDocument> inline,
                       List<String> attached, List<String> groups, String boundary, PolicyDocument trust,
                       boolean instanceProfile, Instant lastUsed, Map<String, String> tags) {

    public Identity {
        inline = List.copyOf(inline);
        attached = List.copyOf(attached);
        groups = List.copyOf(groups);
        tags = Map.copyOf(tags);
    }

    /** This identity as the caller of a request. */
    public Caller caller() {
        return new Caller(arn, accountId, kind, name, tags);
    }

    public boolean isRole() {
        return kind == Caller.Kind.ROLE;
    }
}
