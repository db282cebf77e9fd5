package io.trailhound.access;

import java.time.Instant;
import java.util.Set;

/**
 * What the snapshot files cannot say. {@code managementAccounts}: accounts that are an organization's management account,
 * to which SCPs do not apply. {@code organizationId}: when set, every account of the snapshot is a member of this organization
 * and {@code aws:PrincipalOrgID} is decided for its principals (principals outside stay CONDITIONAL). {@code now}: the
 * reference time for "unused credentials".
 */
public record SnapshotOptions(Set<String> managementAccounts, String organizationId, Instant now) {

    public SnapshotOptions {
        managementAccounts = Set.copyOf(managementAccounts);
    }

    /** No management account, no organization, now. */
    public static SnapshotOptions defaults() {
        return new SnapshotOptions(Set.of(), null, Instant.now());
    }
}
