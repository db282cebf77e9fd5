package io.trailhound.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * AWS's policy evaluation logic for one request: an explicit deny in any policy wins; every SCP level of the caller's account
 * must allow (any policy of a level may); a resource-based policy that names the caller's ARN grants alone within the account
 * (a permissions boundary still limits a role named by its role ARN), one that names the account delegates to the identity
 * policies, and across accounts both sides must allow; identity policies are intersected with the permissions boundary.
 * Whatever depends on a condition key the snapshot does not know, or on a policy it does not contain, is CONDITIONAL.
 */
public final class PolicyEvaluator {

    private final Snapshot snapshot;
    private final Map<String, CallerPolicies> policies = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Boolean> allowing = new java.util.concurrent.ConcurrentHashMap<>();

    public PolicyEvaluator(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** A resource-based policy, the account that owns the resource, and whether access needs it (a role's trust policy). */
    record ResourcePolicy(PolicyDocument document, String ownerAccount, boolean required) {
    }

    /** What applied of one set of policies: the allow and deny matches and the statements behind them. */
    private record Outcome(Match allow, Match deny, List<Evidence> allowEvidence, List<Evidence> denyEvidence) {
    }

    /** {@code identity}'s request for {@code action} on {@code resource} (null: some resource of the action's service). */
    public Decision evaluate(Identity identity, String action, String resource) {
        return evaluate(identity.caller(), policiesOf(identity), action, resource, null, Map.of());
    }

    /** The same with request context only the caller knows, e.g. {@code iam:PassedToService}. */
    Decision evaluate(Identity identity, String action, String resource, Map<String, String> extra) {
        return evaluate(identity.caller(), policiesOf(identity), action, resource, null, extra);
    }

    /** Whether {@code identity} may assume {@code role}: the role's trust policy and the caller's own policies. */
    public Decision assumeRole(Identity identity, Identity role) {
        return evaluate(identity.caller(), policiesOf(identity), "sts:AssumeRole", role.arn(),
            new ResourcePolicy(role.trust(), role.accountId(), true), Map.of());
    }

    /**
     * Whether some identity policy of {@code identity} has an Allow statement for {@code action}, or is unknown: without one
     * the identity side denies the request whatever the resource, so a search over many pairs of principals can skip the
     * evaluation where the identity side is required (every request but a same-account trust naming the caller).
     */
    boolean mayAllowSomewhere(Identity identity, String action) {
        return allowing.computeIfAbsent(identity.arn() + '\n' + action, k -> policiesOf(identity).identity().stream()
            .anyMatch(d -> d.unknown() || d.statements().stream().anyMatch(s -> s.allow() && s.coversAction(action))));
    }

    /** The policies governing {@code identity}, resolved once per evaluator (the snapshot does not change). */
    CallerPolicies policiesOf(Identity identity) {
        return policies.computeIfAbsent(identity.arn(), k -> snapshot.policiesOf(identity));
    }

    /** The general form; {@code extra} adds request context the caller knows (e.g. {@code iam:PassedToService}). */
    Decision evaluate(Caller caller, CallerPolicies policies, String action, String resource, ResourcePolicy rp,
                      Map<String, String> extra) {
        Map<String, String> context = context(caller, extra);
        String service = action.contains(":") ? action.substring(0, action.indexOf(':')).toLowerCase(Locale.ROOT) : action;
        Outcome id = outcome(policies.identity(), action, resource, service, context, null, null);
        Outcome boundary = policies.boundary() == null ? null
            : outcome(List.of(policies.boundary()), action, resource, service, context, null, null);
        List<Outcome> scps = policies.scpLevels().stream()
            .map(level -> outcome(level, action, resource, service, context, null, null)).toList();
        Outcome direct = null;
        Outcome delegated = null;
        if (rp != null) {
            List<PolicyDocument> docs = List.of(rp.document());
            direct = outcome(docs, action, resource, service, context, caller, PrincipalBlock.Naming.DIRECT);
            delegated = outcome(docs, action, resource, service, context, caller, PrincipalBlock.Naming.ACCOUNT);
        }
        List<Outcome> all = new ArrayList<>(scps);
        all.add(id);
        addIfPresent(all, boundary);
        addIfPresent(all, direct);
        addIfPresent(all, delegated);
        Match deny = Match.NO;
        List<Evidence> denyEvidence = new ArrayList<>();
        for (Outcome o : all) {
            deny = deny.or(o.deny());
            denyEvidence.addAll(o.denyEvidence());
        }
        if (deny.isYes()) {
            return new Decision(Decision.Verdict.EXPLICIT_DENY, java.util.Set.of(), denyEvidence);
        }
        Match boundaryGate = boundary == null ? Match.YES : boundary.allow();
        Match identityPath = id.allow().and(boundaryGate);
        Match access = rp == null ? identityPath : resourceAccess(caller, rp, direct, delegated, identityPath, boundaryGate);
        for (Outcome level : scps) {
            access = access.and(level.allow());
        }
        if (!deny.isNo() && !access.isNo()) {
            access = access.and(new Match(Match.Kind.MAYBE, deny.keys()));
        }
        List<Evidence> evidence = new ArrayList<>(id.allowEvidence());
        if (direct != null) {
            evidence.addAll(direct.allowEvidence());
            evidence.addAll(delegated.allowEvidence());
        }
        evidence.addAll(denyEvidence);
        evidence = evidence.stream().distinct().toList();
        return switch (access.kind()) {
            case YES -> new Decision(Decision.Verdict.ALLOW, java.util.Set.of(), evidence);
            case MAYBE -> new Decision(Decision.Verdict.CONDITIONAL, access.keys(), evidence);
            default -> new Decision(Decision.Verdict.IMPLICIT_DENY, java.util.Set.of(), List.of());
        };
    }

    private static void addIfPresent(List<Outcome> all, Outcome outcome) {
        if (outcome != null) {
            all.add(outcome);
        }
    }

    private static Match resourceAccess(Caller caller, ResourcePolicy rp, Outcome direct, Outcome delegated, Match identityPath,
                                        Match boundaryGate) {
        if (!caller.accountId().equals(rp.ownerAccount())) {
            return direct.allow().or(delegated.allow()).and(identityPath);
        }
        // Within the account a grant to the caller's ARN suffices; a boundary still limits a grant to a role ARN (AWS docs).
        Match byArn = caller.kind() == Caller.Kind.ROLE ? direct.allow().and(boundaryGate) : direct.allow();
        Match access = byArn.or(delegated.allow().and(identityPath));
        return rp.required() ? access : access.or(identityPath);
    }

    Map<String, String> context(Caller caller, Map<String, String> extra) {
        Map<String, String> context = new HashMap<>();
        if (caller.kind() == Caller.Kind.USER || caller.kind() == Caller.Kind.ROLE) {
            context.put("aws:principalarn", caller.arn());
            context.put("aws:principalaccount", caller.accountId());
            context.put("aws:principaltype", caller.principalType());
            caller.tags().forEach((k, v) -> context.put("aws:principaltag/" + k.toLowerCase(Locale.ROOT), v));
            if (caller.kind() == Caller.Kind.USER) {
                context.put("aws:username", caller.name());
            }
            if (snapshot.options().organizationId() != null && snapshot.knows(caller.accountId())) {
                context.put("aws:principalorgid", snapshot.options().organizationId());
            }
        }
        extra.forEach((k, v) -> context.put(k.toLowerCase(Locale.ROOT), v));
        return context;
    }

    /**
     * Matches every statement of {@code docs}. With a {@code caller}, only statements whose Principal names it as
     * {@code naming} count as allows, and any naming counts for denies (resource-based policies); without, Principal is absent.
     */
    private static Outcome outcome(List<PolicyDocument> docs, String action, String resource, String service,
                                   Map<String, String> context, Caller caller, PrincipalBlock.Naming naming) {
        Match allow = Match.NO;
        Match deny = Match.NO;
        List<Evidence> allowEvidence = new ArrayList<>();
        List<Evidence> denyEvidence = new ArrayList<>();
        for (PolicyDocument doc : docs) {
            if (doc.unknown()) {
                Match unknown = Match.maybe("unknown-policy " + doc.name());
                allow = allow.or(unknown);
                deny = deny.or(unknown);
                continue;
            }
            for (Statement s : doc.statements()) {
                Match m = applies(s, action, resource, service, context, caller, naming);
                if (m.isNo()) {
                    continue;
                }
                Evidence e = new Evidence(doc.name(), s.index(), s.sid(), s.allow() ? "Allow" : "Deny");
                if (s.allow()) {
                    allow = allow.or(m);
                    allowEvidence.add(e);
                } else {
                    deny = deny.or(m);
                    denyEvidence.add(e);
                }
            }
        }
        return new Outcome(allow, deny, allowEvidence, denyEvidence);
    }

    private static Match applies(Statement s, String action, String resource, String service, Map<String, String> context,
                                 Caller caller, PrincipalBlock.Naming naming) {
        if (!s.coversAction(action)) {
            return Match.NO;
        }
        Match m = principal(s, caller, naming);
        if (m.isNo()) {
            return m;
        }
        m = m.and(s.coversResource(resource, service));
        return m.isNo() ? m : m.and(s.condition().evaluate(context));
    }

    private static Match principal(Statement s, Caller caller, PrincipalBlock.Naming naming) {
        if (caller == null) {
            return Match.YES;
        }
        if (s.notPrincipal() != null) {
            boolean excluded = s.notPrincipal().names(caller) != PrincipalBlock.Naming.NONE;
            // NotPrincipal names whom the statement does not apply to; an Allow with it grants others directly.
            return Match.of(!excluded && (!s.allow() || naming == PrincipalBlock.Naming.DIRECT));
        }
        if (s.principal() == null) {
            return Match.NO;
        }
        PrincipalBlock.Naming named = s.principal().names(caller);
        if (!s.allow()) {
            return Match.of(named != PrincipalBlock.Naming.NONE);
        }
        return Match.of(named == naming);
    }
}
