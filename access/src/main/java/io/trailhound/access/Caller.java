package io.trailhound.access;

import java.util.Map;

/**
 * Who makes a request: an IAM user or role of the snapshot, or a principal outside it. {@code tags} are the principal's tags
 * when known (GAAD lists them), read by {@code aws:PrincipalTag/...} conditions.
 */
public record Caller(String arn, String accountId, Kind kind, String name, Map<String, String> tags) {

    /** What kind of principal calls. */
    public enum Kind { USER, ROLE, ACCOUNT, EXTERNAL, ANYONE, FEDERATED }

    public Caller {
        tags = Map.copyOf(tags);
    }

    /** The {@code aws:PrincipalType} value AWS sets for this caller. */
    String principalType() {
        return switch (kind) {
            case USER -> "User";
            case ROLE -> "AssumedRole";
            case ACCOUNT -> "Account";
            default -> "Unknown";
        };
    }
}
