package io.trailhound.access;

import java.util.Set;

/**
 * A vertex of the access graph: a user, role or group of the snapshot, or a principal outside it that some trust policy
 * names (an account, a principal of an account not in the snapshot, a federated provider, or anyone). {@code admin} is
 * null when the node is not administrator-equivalent by its own policies, else how sure that is and on what it depends.
 */
public record Node(String id, String accountId, Kind kind, String label, Confidence admin, Set<String> adminConditions) {

    /** What the node stands for. */
    public enum Kind { USER, ROLE, GROUP, ACCOUNT, EXTERNAL, ANYONE, FEDERATED }

    public Node {
        adminConditions = Set.copyOf(adminConditions);
    }

    /** True for nodes outside the snapshot's accounts. */
    public boolean external() {
        return kind == Kind.ACCOUNT || kind == Kind.EXTERNAL || kind == Kind.ANYONE || kind == Kind.FEDERATED;
    }

    /** True for users and roles, the nodes that can make requests. */
    public boolean principal() {
        return kind == Kind.USER || kind == Kind.ROLE;
    }
}
