package io.trailhound.access;

import java.util.List;
import java.util.Set;

/**
 * A node reachable from the principal: in how many hops, how surely (the weakest edge of the path), on what conditions, by
 * which path, and whether it is administrator-equivalent.
 */
public record Reachable(String arn, String accountId, Node.Kind kind, int hops, Confidence confidence, Set<String> conditions,
                        List<PathStep> path, boolean adminEquivalent) {

    public Reachable {
        conditions = Set.copyOf(new java.util.TreeSet<>(conditions));
        path = List.copyOf(path);
    }
}
