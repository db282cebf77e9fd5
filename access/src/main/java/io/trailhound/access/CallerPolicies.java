package io.trailhound.access;

import java.util.List;

/**
 * The policies that govern one IAM principal's requests: identity policies (its own inline and attached, and for a user its
 * groups'), its permissions boundary (null when none), and the SCP levels of its account (empty when none apply).
 */
record CallerPolicies(List<PolicyDocument> identity, PolicyDocument boundary, List<List<PolicyDocument>> scpLevels) {

    CallerPolicies {
        identity = List.copyOf(identity);
        scpLevels = scpLevels.stream().map(List::copyOf).toList();
    }

    /** The same with more identity policies, as when a user joins a group or a role gets a policy. */
    CallerPolicies plus(List<PolicyDocument> more) {
        List<PolicyDocument> all = new java.util.ArrayList<>(identity);
        all.addAll(more);
        return new CallerPolicies(all, boundary, scpLevels);
    }
}
