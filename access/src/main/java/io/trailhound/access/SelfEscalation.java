package io.trailhound.access;

import java.util.List;
import java.util.Map;

/**
 * Self-escalation out of one principal: a policy written or attached to itself (iam-005, iam-007, iam-008, iam-009) or to one
 * of its groups (iam-010, iam-011), a new default version of a customer managed policy attached to it (iam-001), or itself
 * added to a group (iam-013). The edge grants administrator when its ceiling (boundary and SCPs) lets everything through;
 * joining a group is an edge to the group, granting administrator when the group's policies make the user one.
 */
final class SelfEscalation {

    private static final String AWS_MANAGED = "arn:aws:iam::aws:policy/";

    private final Snapshot snapshot;
    private final PolicyEvaluator evaluator;
    private final Identity actor;
    private final AdminCheck admin;

    SelfEscalation(Snapshot snapshot, PolicyEvaluator evaluator, Identity actor) {
        this.snapshot = snapshot;
        this.evaluator = evaluator;
        this.actor = actor;
        this.admin = new AdminCheck(evaluator.context(actor.caller(), Map.of()));
    }

    void find(List<Edge> edges) {
        Match ceiling = admin.ceiling(evaluator.policiesOf(actor));
        if (!ceiling.isNo()) {
            if (actor.isRole()) {
                self("iam-005", "iam:PutRolePolicy", actor.arn(), ceiling, edges);
                self("iam-009", "iam:AttachRolePolicy", actor.arn(), ceiling, edges);
            } else {
                self("iam-007", "iam:PutUserPolicy", actor.arn(), ceiling, edges);
                self("iam-008", "iam:AttachUserPolicy", actor.arn(), ceiling, edges);
                for (IamGroup group : snapshot.groupsOf(actor)) {
                    self("iam-010", "iam:AttachGroupPolicy", group.arn(), ceiling, edges);
                    self("iam-011", "iam:PutGroupPolicy", group.arn(), ceiling, edges);
                }
            }
            for (String arn : attachedCustomerPolicies()) {
                self("iam-001", "iam:CreatePolicyVersion", arn, ceiling, edges);
            }
        }
        if (!actor.isRole()) {
            joinGroups(edges);
        }
    }

    private void self(String id, String action, String resource, Match ceiling, List<Edge> edges) {
        Decision d = evaluator.evaluate(actor, action, resource);
        Technique t = TechniqueCatalog.byId(id).orElseThrow();
        EdgeFactory.edge(actor.arn(), actor.arn(), t, resource, List.of(d), ceiling, true).ifPresent(edges::add);
    }

    private List<String> attachedCustomerPolicies() {
        java.util.Set<String> arns = new java.util.TreeSet<>(actor.attached());
        snapshot.groupsOf(actor).forEach(g -> arns.addAll(g.attached()));
        return arns.stream().filter(arn -> !arn.startsWith(AWS_MANAGED)).toList();
    }

    private void joinGroups(List<Edge> edges) {
        Technique t = TechniqueCatalog.byId("iam-013").orElseThrow();
        for (IamGroup group : snapshot.accounts().get(actor.accountId()).groups().values()) {
            if (actor.groups().contains(group.name())) {
                continue;
            }
            Decision d = evaluator.evaluate(actor, "iam:AddUserToGroup", group.arn());
            Match joined = admin.fullAdmin(evaluator.policiesOf(actor).plus(snapshot.policiesOf(group)));
            EdgeFactory.edge(actor.arn(), group.arn(), t, group.arn(), List.of(d), joined.isNo() ? Match.YES : joined, !joined.isNo())
                .ifPresent(edges::add);
        }
    }
}
