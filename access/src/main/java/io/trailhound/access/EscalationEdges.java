package io.trailhound.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.trailhound.access.Technique.Category;

/**
 * The escalation edges out of one principal, all within its own account (IAM and the services act there): self-escalation,
 * credentials for another user, trust-policy takeover, modify-then-access, and PassRole to a service that runs code.
 */
final class EscalationEdges {

    private static final String AWS_MANAGED = "arn:aws:iam::aws:policy/";
    private static final Decision NOT_ALLOWED = new Decision(Decision.Verdict.IMPLICIT_DENY, java.util.Set.of(), List.of());

    private final Snapshot snapshot;
    private final PolicyEvaluator evaluator;
    private final Map<String, Match> ceilings = new HashMap<>();
    private final Map<String, Boolean> admins = new HashMap<>();
    private final Map<String, Match> trusts = new HashMap<>();

    EscalationEdges(Snapshot snapshot, PolicyEvaluator evaluator) {
        this.snapshot = snapshot;
        this.evaluator = evaluator;
    }

    List<Edge> from(Identity actor) {
        List<Edge> edges = new ArrayList<>();
        new SelfEscalation(snapshot, evaluator, actor).find(edges);
        List<Identity> peers = snapshot.accounts().get(actor.accountId()).identities().values().stream()
            .filter(p -> !p.arn().equals(actor.arn())).sorted(java.util.Comparator.comparing(Identity::arn)).toList();
        Map<String, Decision> serviceActions = new HashMap<>();
        for (Identity target : peers) {
            if (target.isRole()) {
                takeover(actor, target, edges);
                modifyRole(actor, target, edges);
                passRole(actor, target, serviceActions, edges);
            } else {
                credentials(actor, target, edges);
                modifyUser(actor, target, edges);
            }
        }
        return edges;
    }

    private Decision can(Identity actor, String action, String resource) {
        return evaluator.mayAllowSomewhere(actor, action) ? evaluator.evaluate(actor, action, resource) : NOT_ALLOWED;
    }

    private static Technique technique(String id) {
        return TechniqueCatalog.byId(id).orElseThrow();
    }

    /** iam-012: rewrite the role's trust to name oneself, then assume it (the assumption itself is evaluated too). */
    private void takeover(Identity actor, Identity role, List<Edge> edges) {
        Decision update = can(actor, "iam:UpdateAssumeRolePolicy", role.arn());
        if (!update.mayAllow()) {
            return;
        }
        EdgeFactory.edge(actor.arn(), role.arn(), technique("iam-012"), role.arn(), List.of(update, assumeAfterTakeover(actor, role)),
            Match.YES, false).ifPresent(edges::add);
    }

    private Decision assumeAfterTakeover(Identity actor, Identity role) {
        Statement trustsActor = new Statement(0, "rewritten", true, List.of("sts:AssumeRole"), null, null, null,
            new PrincipalBlock(false, List.of(actor.arn()), List.of(), List.of(), List.of()), null,
            new ConditionBlock(List.of()));
        PolicyDocument rewritten = new PolicyDocument("trust:" + role.arn() + " (rewritten)", List.of(trustsActor), false);
        return evaluator.evaluate(actor.caller(), evaluator.policiesOf(actor), "sts:AssumeRole", role.arn(),
            new PolicyEvaluator.ResourcePolicy(rewritten, role.accountId(), true), Map.of());
    }

    /** iam-003, iam-002, iam-004, iam-006: credentials of another user. */
    private void credentials(Identity actor, Identity user, List<Edge> edges) {
        Decision create = can(actor, "iam:CreateAccessKey", user.arn());
        Decision delete = can(actor, "iam:DeleteAccessKey", user.arn());
        Optional<Edge> keys = EdgeFactory.edge(actor.arn(), user.arn(), technique("iam-003"), user.arn(), List.of(create, delete),
            Match.YES, false);
        if (keys.isEmpty()) {
            keys = EdgeFactory.edge(actor.arn(), user.arn(), technique("iam-002"), user.arn(), List.of(create), Match.YES, false);
        }
        keys.ifPresent(edges::add);
        boolean hasPassword = user.lastUsed() != null;
        if (!hasPassword) {
            EdgeFactory.edge(actor.arn(), user.arn(), technique("iam-004"), user.arn(),
                List.of(can(actor, "iam:CreateLoginProfile", user.arn())), Match.YES, false).ifPresent(edges::add);
        }
        Technique update = technique("iam-006");
        Technique known = hasPassword ? new Technique(update.id(), update.category(), update.required(), List.of(), null, false)
            : update;
        EdgeFactory.edge(actor.arn(), user.arn(), known, user.arn(), List.of(can(actor, "iam:UpdateLoginProfile", user.arn())),
            Match.YES, false).ifPresent(edges::add);
    }

    /** iam-014/016/017 (then assume) and iam-019/020/021 (then rewrite its trust): give a role administrator, then use it. */
    private void modifyRole(Identity actor, Identity role, List<Edge> edges) {
        Match ceiling = ceiling(role);
        if (ceiling.isNo() || isAdmin(role)) {
            return;
        }
        Decision attach = can(actor, "iam:AttachRolePolicy", role.arn());
        Decision put = can(actor, "iam:PutRolePolicy", role.arn());
        Decision version = versionOfAttached(actor, role);
        if (!attach.mayAllow() && !put.mayAllow() && !version.mayAllow()) {
            return;
        }
        Decision assume = evaluator.assumeRole(actor, role);
        Decision takeover = can(actor, "iam:UpdateAssumeRolePolicy", role.arn());
        Decision takeoverAssume = takeover.mayAllow() ? assumeAfterTakeover(actor, role) : takeover;
        String[][] combos = {{"iam-014", "A"}, {"iam-016", "V"}, {"iam-017", "P"}, {"iam-019", "A"}, {"iam-020", "V"}, {"iam-021", "P"}};
        for (String[] combo : combos) {
            Decision modify = "A".equals(combo[1]) ? attach : "P".equals(combo[1]) ? put : version;
            List<Decision> needed = combo[0].compareTo("iam-019") < 0 ? List.of(modify, assume) : List.of(modify, takeover, takeoverAssume);
            Optional<Edge> edge = EdgeFactory.edge(actor.arn(), role.arn(), technique(combo[0]), role.arn(), needed, ceiling, true);
            if (edge.isPresent()) {
                edges.add(edge.get());
                return;
            }
        }
    }

    /** iam-015/018: give a user administrator, then create an access key for it. */
    private void modifyUser(Identity actor, Identity user, List<Edge> edges) {
        Match ceiling = ceiling(user);
        if (ceiling.isNo() || isAdmin(user)) {
            return;
        }
        Decision key = can(actor, "iam:CreateAccessKey", user.arn());
        EdgeFactory.edge(actor.arn(), user.arn(), technique("iam-015"), user.arn(),
                List.of(can(actor, "iam:AttachUserPolicy", user.arn()), key), ceiling, true)
            .or(() -> EdgeFactory.edge(actor.arn(), user.arn(), technique("iam-018"), user.arn(),
                List.of(can(actor, "iam:PutUserPolicy", user.arn()), key), ceiling, true))
            .ifPresent(edges::add);
    }

    /** CreatePolicyVersion on a customer managed policy attached to the target; denied when it has none. */
    private Decision versionOfAttached(Identity actor, Identity target) {
        for (String arn : target.attached()) {
            if (!arn.startsWith(AWS_MANAGED)) {
                Decision d = can(actor, "iam:CreatePolicyVersion", arn);
                if (d.mayAllow()) {
                    return d;
                }
            }
        }
        return NOT_ALLOWED;
    }

    /** PassRole techniques: the role trusts the service, the actor may pass it there and call every other required action. */
    private void passRole(Identity actor, Identity role, Map<String, Decision> cache, List<Edge> edges) {
        if (!evaluator.mayAllowSomewhere(actor, "iam:PassRole")) {
            return;
        }
        for (Technique t : TechniqueCatalog.of(Category.PASS_ROLE)) {
            if (t.needsInstanceProfile() && !role.instanceProfile()) {
                continue;
            }
            for (String service : t.trustedServices()) {
                Match trusted = trusts.computeIfAbsent(role.arn() + '\n' + service, k -> trustsService(role, service));
                if (trusted.isNo()) {
                    continue;
                }
                List<Decision> decisions = new ArrayList<>();
                decisions.add(cache.computeIfAbsent("iam:PassRole\n" + role.arn() + '\n' + service,
                    k -> evaluator.evaluate(actor, "iam:PassRole", role.arn(), Map.of("iam:PassedToService", service))));
                t.serviceActions().forEach(a -> decisions.add(cache.computeIfAbsent(a, k -> can(actor, k, null))));
                Optional<Edge> edge = EdgeFactory.edge(actor.arn(), role.arn(), t, role.arn() + " via " + service, decisions,
                    trusted, false);
                if (edge.isPresent()) {
                    edges.add(edge.get());
                    break;
                }
            }
        }
    }

    /** Whether the role's trust policy lets the service assume it (conditions on it cannot be decided here). */
    static Match trustsService(Identity role, String service) {
        Match allow = Match.NO;
        Match deny = Match.NO;
        for (Statement s : role.trust().statements()) {
            if (s.principal() == null || !s.principal().namesService(service) || !s.coversAction("sts:AssumeRole")) {
                continue;
            }
            Match m = s.condition().evaluate(Map.of());
            if (s.allow()) {
                allow = allow.or(m);
            } else {
                deny = deny.or(m);
            }
        }
        if (deny.isYes()) {
            return Match.NO;
        }
        return deny.isNo() ? allow : allow.and(new Match(Match.Kind.MAYBE, deny.keys()));
    }

    private Match ceiling(Identity target) {
        return ceilings.computeIfAbsent(target.arn(),
            k -> new AdminCheck(evaluator.context(target.caller(), Map.of())).ceiling(evaluator.policiesOf(target)));
    }

    private boolean isAdmin(Identity target) {
        return admins.computeIfAbsent(target.arn(),
            k -> new AdminCheck(evaluator.context(target.caller(), Map.of())).fullAdmin(evaluator.policiesOf(target)).isYes());
    }
}
