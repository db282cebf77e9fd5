package io.trailhound.access;

import java.util.List;
import java.util.Map;

/**
 * Administrator-equivalence by effective permissions, whatever a policy is called: identity policies grant {@code *} on
 * {@code *}, and the ceiling (permissions boundary and every SCP level) lets it through. An unconditional Deny of every
 * action on every resource in any of them takes it away; narrower Deny statements do not (they are listed as restrictions
 * in the README). Conditions the snapshot cannot decide, and policies it does not contain, make the answer a MAYBE.
 */
final class AdminCheck {

    private final Map<String, String> context;

    AdminCheck(Map<String, String> context) {
        this.context = context;
    }

    /** Whether these policies amount to administrator. */
    Match fullAdmin(CallerPolicies policies) {
        return grantsAll(policies.identity()).and(ceiling(policies));
    }

    /** Whether a principal that could write its own identity policies would be administrator: boundary and SCPs allow all. */
    Match ceiling(CallerPolicies policies) {
        Match ceiling = policies.boundary() == null ? Match.YES : grantsAll(List.of(policies.boundary()));
        for (List<PolicyDocument> level : policies.scpLevels()) {
            ceiling = ceiling.and(grantsAll(level));
        }
        Match denied = Match.NO;
        for (List<PolicyDocument> level : policies.scpLevels()) {
            denied = denied.or(deniesAll(level));
        }
        if (policies.boundary() != null) {
            denied = denied.or(deniesAll(List.of(policies.boundary())));
        }
        return without(ceiling, denied);
    }

    /** Identity policies that grant everything, less an unconditional deny of everything among them. */
    private Match grantsAll(List<PolicyDocument> docs) {
        Match allow = Match.NO;
        for (PolicyDocument doc : docs) {
            if (doc.unknown()) {
                allow = allow.or(Match.maybe("unknown-policy " + doc.name()));
                continue;
            }
            for (Statement s : doc.statements()) {
                if (s.allow() && everything(s)) {
                    allow = allow.or(s.condition().evaluate(context));
                }
            }
        }
        return without(allow, deniesAll(docs));
    }

    private Match deniesAll(List<PolicyDocument> docs) {
        Match deny = Match.NO;
        for (PolicyDocument doc : docs) {
            for (Statement s : doc.statements()) {
                if (!s.allow() && everything(s)) {
                    deny = deny.or(s.condition().evaluate(context));
                }
            }
        }
        return deny;
    }

    private static Match without(Match allow, Match deny) {
        if (deny.isYes()) {
            return Match.NO;
        }
        return deny.isNo() ? allow : allow.and(new Match(Match.Kind.MAYBE, deny.keys()));
    }

    private static boolean everything(Statement s) {
        boolean allActions = s.actions() != null && s.actions().contains("*");
        boolean allResources = s.resources() == null && s.notResources() == null
            || s.resources() != null && s.resources().contains("*");
        return allActions && allResources;
    }
}
