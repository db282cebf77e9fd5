package io.trailhound.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The IAM state of a set of accounts at one time, as read from GAAD and SCP files. {@code unsupported} names what the snapshot
 * references but cannot evaluate (missing managed policies, for one), so every output can repeat it.
 */
public record Snapshot(Map<String, Account> accounts, SnapshotOptions options, Set<String> unsupported) {

    public Snapshot {
        accounts = Map.copyOf(accounts);
        unsupported = Set.copyOf(new TreeSet<>(unsupported));
    }

    /** Every user and role of every account. */
    public List<Identity> identities() {
        List<Identity> all = new ArrayList<>();
        accounts.values().stream().map(Account::identities).map(Map::values).forEach(all::addAll);
        all.sort(java.util.Comparator.comparing(Identity::arn));
        return all;
    }

    public Optional<Identity> identity(String arn) {
        String account = arn.split(":").length > 4 ? arn.split(":")[4] : "";
        Account owner = accounts.get(account);
        return owner == null ? Optional.empty() : Optional.ofNullable(owner.identities().get(arn));
    }

    /** A managed policy by ARN: the owning account's copy, or any account's for AWS managed policies; unknown otherwise. */
    PolicyDocument policy(String arn, String accountId) {
        Account own = accounts.get(accountId);
        if (own != null && own.managedPolicies().containsKey(arn)) {
            return own.managedPolicies().get(arn);
        }
        return accounts.values().stream().map(a -> a.managedPolicies().get(arn)).filter(java.util.Objects::nonNull)
            .findFirst().orElse(PolicyDocument.unknown(arn));
    }

    /** The groups a user is a member of (those the snapshot lists). */
    List<IamGroup> groupsOf(Identity identity) {
        Account account = accounts.get(identity.accountId());
        return identity.groups().stream().map(account.groups()::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The identity policies of a group: inline and attached. */
    List<PolicyDocument> policiesOf(IamGroup group) {
        List<PolicyDocument> docs = new ArrayList<>(group.inline());
        group.attached().forEach(arn -> docs.add(policy(arn, group.accountId())));
        return docs;
    }

    /** The policies that govern {@code identity}'s requests. */
    CallerPolicies policiesOf(Identity identity) {
        List<PolicyDocument> docs = new ArrayList<>(identity.inline());
        identity.attached().forEach(arn -> docs.add(policy(arn, identity.accountId())));
        groupsOf(identity).forEach(group -> docs.addAll(policiesOf(group)));
        PolicyDocument boundary = identity.boundary() == null ? null : policy(identity.boundary(), identity.accountId());
        // SCPs do not restrict service-linked roles (AWS Organizations documentation).
        boolean serviceLinked = identity.isRole() && identity.arn().contains(":role/aws-service-role/");
        return new CallerPolicies(docs, boundary, serviceLinked ? List.of() : scpLevels(identity.accountId()));
    }

    /** The SCP levels that apply to principals of {@code accountId}: none for a management account. */
    List<List<PolicyDocument>> scpLevels(String accountId) {
        Account account = accounts.get(accountId);
        if (account == null || options.managementAccounts().contains(accountId)) {
            return List.of();
        }
        return account.scpLevels();
    }

    /** True when the principal's account is in the snapshot. */
    boolean knows(String accountId) {
        return accounts.containsKey(accountId);
    }

    Collection<Account> allAccounts() {
        return accounts.values();
    }
}
