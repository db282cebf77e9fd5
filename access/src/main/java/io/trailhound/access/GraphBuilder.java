package io.trailhound.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds the {@link AccessGraph} of a snapshot: a node per user, role and group, and per principal outside the snapshot a
 * trust policy names; role assumption edges (within and across accounts, and from outside) and the escalation edges
 * {@link EscalationEdges} finds; administrator-equivalence of each principal by its effective permissions.
 */
public final class GraphBuilder {

    private static final String EVERYTHING = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    private final Snapshot snapshot;
    private final PolicyEvaluator evaluator;
    private final Map<String, Node> nodes = new HashMap<>();
    private final List<Edge> edges = new ArrayList<>();

    private GraphBuilder(Snapshot snapshot) {
        this.snapshot = snapshot;
        this.evaluator = new PolicyEvaluator(snapshot);
    }

    /** The graph of {@code snapshot}. */
    public static AccessGraph build(Snapshot snapshot) {
        return new GraphBuilder(snapshot).build();
    }

    private AccessGraph build() {
        Set<String> unsupported = new LinkedHashSet<>(snapshot.unsupported());
        unsupported.add("techniques needing resource inventory beyond IAM (existing functions, stacks, instances, notebooks): "
            + String.join(", ", TechniqueCatalog.NOT_MODELLED));
        unsupported.add("resource control policies, session policies, VPC endpoint policies and permission sets are not evaluated");
        for (Identity identity : snapshot.identities()) {
            Match admin = new AdminCheck(evaluator.context(identity.caller(), Map.of())).fullAdmin(evaluator.policiesOf(identity));
            nodes.put(identity.arn(), new Node(identity.arn(), identity.accountId(),
                identity.isRole() ? Node.Kind.ROLE : Node.Kind.USER, identity.name(),
                admin.isNo() ? null : Confidence.of(admin), admin.keys()));
        }
        for (Account account : snapshot.allAccounts()) {
            for (IamGroup group : account.groups().values()) {
                nodes.put(group.arn(), new Node(group.arn(), group.accountId(), Node.Kind.GROUP, group.name(), null, Set.of()));
            }
        }
        EscalationEdges escalation = new EscalationEdges(snapshot, evaluator);
        List<Identity> identities = snapshot.identities();
        TrustIndex trusts = new TrustIndex(identities);
        for (Identity identity : identities) {
            assumeEdges(identity, trusts);
            edges.addAll(escalation.from(identity));
        }
        for (Identity role : identities) {
            if (role.isRole()) {
                externalEdges(role);
            }
        }
        return new AccessGraph(nodes, edges, unsupported);
    }

    private void assumeEdges(Identity caller, TrustIndex trusts) {
        Technique assume = TechniqueCatalog.byId("sts-001").orElseThrow();
        // across accounts the caller's own policies must allow too: most principals may assume no role at all
        boolean crossAccount = evaluator.mayAllowSomewhere(caller, "sts:AssumeRole");
        for (Identity role : trusts.mayName(caller)) {
            boolean sameAccount = role.accountId().equals(caller.accountId());
            if ((sameAccount || crossAccount) && !role.arn().equals(caller.arn()) && trustMayName(role, caller.caller())) {
                Decision d = evaluator.assumeRole(caller, role);
                EdgeFactory.edge(caller.arn(), role.arn(), assume, role.arn(), List.of(d), Match.YES, false).ifPresent(edges::add);
            }
        }
    }

    /**
     * The roles whose trust policy may name a caller, by the account or ARN its statements name, so that the build does not try
     * every role for every caller (quadratic in the principals): a superset that {@link #trustMayName} then checks.
     */
    private static final class TrustIndex {

        private final Map<String, List<Identity>> byAccount = new HashMap<>();
        private final Map<String, List<Identity>> byArn = new HashMap<>();
        private final List<Identity> always = new ArrayList<>();

        TrustIndex(List<Identity> identities) {
            for (Identity role : identities) {
                if (role.isRole()) {
                    index(role);
                }
            }
        }

        private void index(Identity role) {
            Set<String> accounts = new LinkedHashSet<>();
            Set<String> arns = new LinkedHashSet<>();
            for (Statement s : role.trust().statements()) {
                if (s.notPrincipal() != null || s.principal() != null && s.principal().anyone()) {
                    always.add(role);
                    return;
                }
                if (s.principal() != null) {
                    for (String entry : s.principal().aws()) {
                        String account = PrincipalBlock.accountOf(entry);
                        if (account != null) {
                            accounts.add(account);
                        } else {
                            arns.add(entry.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            accounts.forEach(a -> byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(role));
            arns.forEach(a -> byArn.computeIfAbsent(a, k -> new ArrayList<>()).add(role));
        }

        /** The candidate roles for {@code caller}, each once, in ARN order (the order the edges were always found in). */
        List<Identity> mayName(Identity caller) {
            TreeMap<String, Identity> roles = new TreeMap<>();
            always.forEach(r -> roles.put(r.arn(), r));
            byAccount.getOrDefault(caller.accountId(), List.of()).forEach(r -> roles.put(r.arn(), r));
            byArn.getOrDefault(caller.arn().toLowerCase(Locale.ROOT), List.of()).forEach(r -> roles.put(r.arn(), r));
            return List.copyOf(roles.values());
        }
    }

    /** A cheap pre-check before evaluating: some trust statement names the caller, or uses NotPrincipal. */
    private static boolean trustMayName(Identity role, Caller caller) {
        for (Statement s : role.trust().statements()) {
            if (s.notPrincipal() != null || s.principal() != null && s.principal().names(caller) != PrincipalBlock.Naming.NONE) {
                return true;
            }
        }
        return false;
    }

    /** Edges into {@code role} from principals its trust policy names that the snapshot does not hold. */
    private void externalEdges(Identity role) {
        Technique assume = TechniqueCatalog.byId("sts-001").orElseThrow();
        for (Statement s : role.trust().statements()) {
            if (!s.allow() || s.principal() == null) {
                continue;
            }
            for (Caller outside : outsiders(s.principal())) {
                CallerPolicies policies = new CallerPolicies(List.of(outsidePolicies(outside)), null, List.of());
                String action = outside.kind() != Caller.Kind.FEDERATED ? "sts:AssumeRole"
                    : outside.arn().contains(":saml-provider/") ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";
                Decision d = evaluator.evaluate(outside, policies, action, role.arn(),
                    new PolicyEvaluator.ResourcePolicy(role.trust(), role.accountId(), true), Map.of());
                EdgeFactory.edge(outside.arn(), role.arn(), assume, role.arn(), List.of(d), Match.YES, false).ifPresent(e -> {
                    nodes.putIfAbsent(outside.arn(), outsideNode(outside));
                    edges.add(e);
                });
            }
        }
    }

    private List<Caller> outsiders(PrincipalBlock block) {
        List<Caller> callers = new ArrayList<>();
        if (block.anyone()) {
            callers.add(new Caller("*", "*", Caller.Kind.ANYONE, "anyone", Map.of()));
        }
        for (String entry : block.aws()) {
            String account = PrincipalBlock.accountOf(entry);
            if ("*".equals(entry)) {
                continue;
            }
            if (account != null && !snapshot.knows(account)) {
                callers.add(new Caller("arn:aws:iam::" + account + ":root", account, Caller.Kind.ACCOUNT, account, Map.of()));
            } else if (account == null && entry.startsWith("arn:") && entry.split(":").length > 4
                && !snapshot.knows(entry.split(":")[4])) {
                callers.add(new Caller(entry, entry.split(":")[4], Caller.Kind.EXTERNAL, entry, Map.of()));
            }
        }
        for (String provider : block.federated()) {
            String[] parts = provider.split(":");
            callers.add(new Caller(provider, parts.length > 4 ? parts[4] : "", Caller.Kind.FEDERATED, provider, Map.of()));
        }
        return callers;
    }

    /**
     * What allows an outsider's side: an account's (or anyone's) own administrators can always grant sts:AssumeRole, and a
     * federated identity needs none; a named principal's identity policies are unknown.
     */
    private static PolicyDocument outsidePolicies(Caller outside) {
        if (outside.kind() == Caller.Kind.EXTERNAL) {
            return PolicyDocument.unknown("identity policies of " + outside.arn() + " (account not in the snapshot)");
        }
        try {
            return PolicyDocument.parse("policies of " + outside.arn(), new ObjectMapper().readTree(EVERYTHING), "outside");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Node outsideNode(Caller outside) {
        Node.Kind kind = switch (outside.kind()) {
            case ANYONE -> Node.Kind.ANYONE;
            case FEDERATED -> Node.Kind.FEDERATED;
            case ACCOUNT -> Node.Kind.ACCOUNT;
            default -> Node.Kind.EXTERNAL;
        };
        return new Node(outside.arn(), outside.accountId(), kind, outside.name(), null, Set.of());
    }
}
