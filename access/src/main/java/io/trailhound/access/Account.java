package io.trailhound.access;

import java.util.List;
import java.util.Map;

/**
 * One account of the snapshot: its users and roles by ARN, groups by name, the managed policies its GAAD lists (default
 * versions, by ARN) and its SCP levels from the organization root down (empty when no SCP file was given).
 */
public record Account(String id, Map<String, Identity> identities, Map<String, IamGroup> groups,
                      Map<String, PolicyDocument> managedPolicies, List<List<PolicyDocument>> scpLevels) {

    public Account {
        identities = Map.copyOf(identities);
        groups = Map.copyOf(groups);
        managedPolicies = Map.copyOf(managedPolicies);
        scpLevels = scpLevels.stream().map(List::copyOf).toList();
    }
}
