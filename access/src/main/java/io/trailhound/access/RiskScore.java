package io.trailhound.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A principal's 0-100 risk score, the sum of six documented components (module README, "Risk score"), each shown with its
 * points, its maximum and why: administrator-equivalent (40, 20 when CONDITIONAL), reachable administrator roles (5 each, up
 * to 15), other accounts reachable (5 each, up to 15), trust from anyone (15) or from outside the snapshot (10), a trust
 * that lets AWS principals in without {@code aws:MultiFactorAuthPresent} (5), unused credentials (10: a role never used or
 * not for 90 days by RoleLastUsed, a user whose PasswordLastUsed is older than 90 days).
 */
public record RiskScore(int score, List<Component> components) {

    /** One part of the score. */
    public record Component(String name, int points, int max, String detail) {
    }

    static final Duration UNUSED = Duration.ofDays(90);

    public RiskScore {
        components = List.copyOf(components);
    }

    static RiskScore of(AccessGraph graph, Snapshot snapshot, Node start, Confidence admin, List<Reachable> reachable,
                        Set<String> accounts) {
        List<Component> c = new ArrayList<>();
        c.add(new Component("admin-equivalent", admin == null ? 0 : admin == Confidence.DEFINITE ? 40 : 20, 40,
            admin == null ? "not administrator-equivalent" : "administrator-equivalent (" + admin + ")"));
        long adminRoles = reachable.stream().filter(r -> r.kind() == Node.Kind.ROLE && r.adminEquivalent()).count();
        c.add(new Component("reachable-admin-roles", (int) Math.min(15, adminRoles * 5), 15, adminRoles + " reachable"));
        long others = accounts.stream().filter(a -> !a.equals(start.accountId())).count();
        c.add(new Component("reachable-accounts", (int) Math.min(15, others * 5), 15, others + " other account(s)"));
        c.add(externalTrust(graph, start));
        Identity identity = snapshot.identity(start.id()).orElse(null);
        c.add(trustWithoutMfa(identity));
        c.add(unused(identity, snapshot.options().now()));
        return new RiskScore(c.stream().mapToInt(Component::points).sum(), c);
    }

    private static Component externalTrust(AccessGraph graph, Node start) {
        boolean anyone = false;
        List<String> outside = new ArrayList<>();
        for (Edge e : graph.edgesTo(start.id())) {
            Node from = graph.nodes().get(e.from());
            if (from.external()) {
                anyone |= from.kind() == Node.Kind.ANYONE;
                outside.add(from.id() + " (" + e.confidence() + ")");
            }
        }
        int points = anyone ? 15 : outside.isEmpty() ? 0 : 10;
        return new Component("external-or-wildcard-trust", points, 15,
            outside.isEmpty() ? "trusted by no principal outside the snapshot" : "trusted by " + String.join(", ", outside));
    }

    private static Component trustWithoutMfa(Identity identity) {
        if (identity == null || !identity.isRole()) {
            return new Component("trust-without-mfa", 0, 5, "not a role");
        }
        for (Statement s : identity.trust().statements()) {
            boolean aws = s.allow() && s.principal() != null && (s.principal().anyone() || !s.principal().aws().isEmpty());
            boolean mfa = s.condition().keys().stream().anyMatch(k -> k.equalsIgnoreCase("aws:MultiFactorAuthPresent"));
            if (aws && !mfa) {
                return new Component("trust-without-mfa", 5, 5, "trust statement " + s.index() + " admits AWS principals without MFA");
            }
        }
        return new Component("trust-without-mfa", 0, 5, "every AWS principal trust requires MFA, or none");
    }

    private static Component unused(Identity identity, java.time.Instant now) {
        if (identity == null) {
            return new Component("unused-credentials", 0, 10, "not in the snapshot");
        }
        if (identity.lastUsed() == null) {
            return identity.isRole() ? new Component("unused-credentials", 10, 10, "RoleLastUsed: never used")
                : new Component("unused-credentials", 0, 10, "GAAD does not tell (no PasswordLastUsed)");
        }
        boolean stale = identity.lastUsed().isBefore(now.minus(UNUSED));
        return new Component("unused-credentials", stale ? 10 : 0, 10,
            "last used " + identity.lastUsed() + (stale ? ", over 90 days ago" : ""));
    }
}
