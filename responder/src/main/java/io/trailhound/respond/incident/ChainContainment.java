package io.trailhound.respond.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.respond.runbook.Arns;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.DenyPolicies;
import io.trailhound.respond.runbook.Escalation;
import io.trailhound.respond.runbook.IamUserCompromise;
import io.trailhound.respond.runbook.IncidentIds;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.RoleSessionCompromise;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.Step;
import io.trailhound.respond.runbook.TrustPolicies;

/**
 * Incident-level containment: once an incident reaches the configured severity, every credential of its identity chain is
 * contained, root first. A leaked key that stays active mints a fresh session for every one the runbooks revoke, so the
 * chain's root long-term credential comes first (the IAM user runbook: keys, tokens issued before now, console access);
 * every assumed role of the chain then gets its older sessions denied in its own account (scoped to the instance for
 * instance credentials). Root, service-linked roles and IAM Identity Center permission-set roles go to a person, with the
 * steps to take, because IAM cannot restrict them. A chain rooted at an OIDC or SAML subject (#18) narrows the trust policy
 * of the role the subject assumed to the subjects it served before, after approval, besides denying its older sessions.
 *
 * <p>The steps are the runbooks' own (the same actions, parameters and approval rules), planned against a view of the
 * trigger alert narrowed to one link; their idempotency keys are per incident, action and resource, so a credential is
 * contained once per incident however many alerts name it, and a later alert that extends the chain extends containment.
 *
 * <p>After the chain's own steps (#15): the administrator-equivalent roles the trigger alert's access summary says its
 * principal reaches ({@code accessSummary.topAdminRoles}, same account or another) get their older sessions denied, each
 * only after a person approved it, whatever the severity ({@link #planReachableAdmins}).
 */
public final class ChainContainment {

    /** Runbook id recorded on chain-wide steps. */
    public static final String ID = "incident-chain";
    /** Step name of the older-sessions deny on an administrator role the compromised identity reaches (#15). */
    public static final String REACHABLE_ADMIN_STEP = "revoke-reachable-admin-sessions";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RunbookSettings settings;
    private final IamUserCompromise users;
    private final RoleSessionCompromise roles;
    private final Severity threshold;

    /**
     * @param settings  the runbooks' settings
     * @param threshold the incident severity from which the whole chain is contained, or null for never
     */
    public ChainContainment(RunbookSettings settings, Severity threshold) {
        this.settings = settings;
        this.users = new IamUserCompromise(settings);
        this.roles = new RoleSessionCompromise(settings);
        this.threshold = threshold;
    }

    /** The steps for one link of the chain: the link, the trigger alert narrowed to it, and the runbook's steps. */
    public record LinkPlan(ChainLink link, Alert linkAlert, String runbook, List<Step> steps) {
    }

    /** Chain-wide containment of {@code state} triggered by {@code trigger} at {@code now}; empty below the threshold. */
    public List<LinkPlan> plan(IncidentState state, Alert trigger, Instant now) {
        if (threshold == null || state.severity().compareTo(threshold) < 0 || state.chain().isEmpty()) {
            return List.of();
        }
        List<LinkPlan> plans = new ArrayList<>();
        List<ChainLink> chain = state.chain();
        for (int i = 0; i < chain.size(); i++) {
            ChainLink link = chain.get(i);
            plans.add(TrustPolicies.isProvider(link.getPrincipalArn())
                ? planFederatedRoot(link, i + 1 < chain.size() ? chain.get(i + 1) : null, state, trigger)
                : planLink(link, trigger, now));
        }
        plans.addAll(planReachableAdmins(chain, trigger, now));
        return List.copyOf(plans);
    }

    /**
     * #15: one step per administrator-equivalent role the access summary of the trigger alert's principal lists as reachable
     * (the stream processor's store lookup, at most three, fewest hops first): the {@value DenyPolicies#REVOKE_OLDER_SESSIONS}
     * deny of tokens issued before now, put on the role in its own account, always behind approval, with a reason naming the
     * path. Roles of the chain itself (contained above), service-linked and IAM Identity Center roles (IAM cannot edit them)
     * are left out; protected roles are skipped by the planner like any other step. No summary, no step.
     */
    private List<LinkPlan> planReachableAdmins(List<ChainLink> chain, Alert trigger, Instant now) {
        AccessSummary summary = trigger.getAccessSummary();
        if (summary == null || summary.getTopAdminRoles().isEmpty()) {
            return List.of();
        }
        Set<String> contained = new HashSet<>();
        chain.forEach(link -> contained.add(link.getPrincipalArn()));
        String root = chain.get(0).getPrincipalArn();
        String from = summary.getPrincipalArn().isEmpty() ? root : summary.getPrincipalArn();
        Map<String, LinkPlan> plans = new LinkedHashMap<>();
        for (String roleArn : summary.getTopAdminRoles()) {
            String roleName = Arns.roleName(roleArn);
            if (roleName == null || contained.contains(roleArn) || plans.containsKey(roleArn) || Arns.isServiceLinkedRole(roleArn)
                || roleName.startsWith("AWSReservedSSO_") || roleArn.contains(":role/aws-reserved/")) {
                continue;
            }
            String account = roleArn.split(":", 6)[4];
            ChainLink link = ChainLink.newBuilder().setPrincipalArn(roleArn).setAccountId(account).build();
            String reason = "reachable from " + from + (from.equals(root) ? "" : " (chain root " + root + ")") + " as administrator "
                + "per the access summary at snapshot epoch " + summary.getSnapshotEpoch() + ": deny its sessions issued before "
                + DenyPolicies.cutoff(now) + " in account " + account + " (needs a person's approval)";
            Step step = new Step(REACHABLE_ADMIN_STEP, Phase.CONTAINMENT, AwsAction.IAM_PUT_ROLE_POLICY, roleArn, Map.of(
                "RoleName", roleName,
                "PolicyName", DenyPolicies.REVOKE_OLDER_SESSIONS,
                "TokenIssueTimeBefore", DenyPolicies.cutoff(now),
                "PolicyDocument", DenyPolicies.tokensIssuedBefore(now),
                Step.APPROVAL_REASON, reason), false, true);
            plans.put(roleArn, new LinkPlan(link, narrowed(trigger, link, PrincipalType.AssumedRole, null), ID, List.of(step)));
        }
        return List.copyOf(plans.values());
    }

    /**
     * A chain that starts at an OIDC or SAML subject (#18 item 5): the role it assumed has its older sessions denied (that
     * link's own steps); here, the role's trust policy is copied to the evidence bucket and, after approval, narrowed to the
     * subjects the role served before (never the intruding subject itself), and a person is told to end the subject's
     * sessions at the identity provider.
     */
    private LinkPlan planFederatedRoot(ChainLink link, ChainLink next, IncidentState state, Alert trigger) {
        String arn = link.getPrincipalArn();
        String[] parts = arn.split(":", 7);
        String provider = String.join(":", List.of(parts).subList(0, Math.min(6, parts.length)));
        String subject = parts.length == 7 ? parts[6] : "";
        String idp = "end the sessions of " + (subject.isEmpty() ? arn : subject) + " at the identity provider and review the "
            + "trust policy of the role it assumed";
        if (next == null || !next.getPrincipalArn().contains(":role/")) {
            return new LinkPlan(link, trigger, ID, Escalation.toHuman(arn, "the chain starts at a federated identity (" + arn
                + "): " + idp));
        }
        String roleArn = next.getPrincipalArn();
        Alert role = narrowed(trigger, next, PrincipalType.AssumedRole, null);
        List<String> subjects = state.servedBy(roleArn).stream().filter(s -> !s.equals(subject)).sorted().toList();
        if (subjects.isEmpty()) {
            return new LinkPlan(link, role, ID, Escalation.toHuman(arn, "the chain starts at a federated identity (" + arn
                + "): the older sessions of " + roleArn + " are denied; no subject it served before is known, so its trust "
                + "policy is not narrowed automatically: " + idp));
        }
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        String incident = IncidentIds.of(trigger);
        List<Step> steps = new ArrayList<>();
        steps.add(Step.of("capture-trust-policy", Phase.EVIDENCE, AwsAction.IAM_GET_ROLE, roleArn, Map.of("RoleName", roleName,
            "EvidenceObject", "s3://" + settings.evidenceBucket() + "/" + incident + "/" + roleName + "/trust-policy.json")));
        steps.add(new Step("narrow-trust-policy", Phase.CONTAINMENT, AwsAction.IAM_UPDATE_ASSUME_ROLE_POLICY, roleArn,
            Map.of("RoleName", roleName, TrustPolicies.PROVIDER, provider, TrustPolicies.SUBJECTS, json(subjects)),
            false, true));
        steps.addAll(Escalation.toHuman(arn, "the chain starts at a federated identity (" + arn + "): the older sessions of "
            + roleArn + " are denied, and narrowing its trust policy to the " + subjects.size() + " subject(s) it served before "
            + "waits for approval (the request shows the diff); " + idp));
        return new LinkPlan(link, role, ID, steps);
    }

    private static String json(List<String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private LinkPlan planLink(ChainLink link, Alert trigger, Instant now) {
        String arn = link.getPrincipalArn();
        String account = link.getAccountId() != null ? link.getAccountId() : trigger.getAccountId();
        if (arn.endsWith(":root")) {
            return new LinkPlan(link, trigger, ID, Escalation.toHuman(arn, "the chain starts at the root user of account " + account
                + ": automation cannot contain root credentials; rotate the root password, deactivate its access keys and MFA "
                + "devices and review them by hand"));
        }
        if (arn.contains(":user/")) {
            Alert user = narrowed(trigger, link, PrincipalType.IAMUser, null);
            return new LinkPlan(link, user, IamUserCompromise.ID, withoutNotifications(users.plan(user, now)));
        }
        if (arn.contains(":role/")) {
            Principal acting = trigger.getPrincipal();
            boolean same = acting != null && arn.equals(acting.getArn());
            String session = same ? acting.getSessionName() : null;
            Alert role = narrowed(trigger, link, PrincipalType.AssumedRole, session);
            List<Step> steps = withoutNotifications(roles.plan(role, now));
            if (arn.contains(":role/aws-reserved/sso.amazonaws.com/") || arn.contains(":role/AWSReservedSSO_")) {
                steps = Escalation.toHuman(arn, "IAM Identity Center permission set role (IAM cannot edit it): in the Identity "
                    + "Center console, Users → " + (session == null ? "the user of this session" : session) + " → revoke active "
                    + "sessions and disable the user (or remove the permission set assignment in account " + account + "); "
                    + "until then an SCP denying identitystore:userId of that user with aws:TokenIssueTime before now stops "
                    + "existing sessions");
            }
            return new LinkPlan(link, role, RoleSessionCompromise.ID, steps);
        }
        return new LinkPlan(link, trigger, ID, Escalation.toHuman(arn, "the chain starts at a federated identity (" + arn
            + "): its roles' older sessions are denied; end its sessions at the identity provider and review the trust "
            + "policy of the role it assumed"));
    }

    /** The trigger alert seen as an alert about {@code link} alone (its principal, key and account). */
    private static Alert narrowed(Alert trigger, ChainLink link, PrincipalType type, String sessionName) {
        String arn = link.getPrincipalArn();
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        Principal principal = Principal.newBuilder().setType(type).setArn(arn).setAccountId(link.getAccountId())
            .setPrincipalKey(link.getAccountId() + "/" + arn).setAccessKeyId(link.getAccessKeyId())
            .setUserName(type == PrincipalType.IAMUser ? name : null).setSessionName(sessionName)
            .setSessionIssuerArn(type == PrincipalType.AssumedRole ? arn : null).build();
        Entities.Builder entities = Entities.newBuilder();
        if (link.getAccessKeyId() != null) {
            entities.setAccessKeyIds(List.of(link.getAccessKeyId()));
        }
        if (type == PrincipalType.IAMUser) {
            entities.setUserNames(List.of(name));
        } else {
            entities.setRoleArns(List.of(arn));
        }
        if (sessionName != null && trigger.getEntities().getInstanceIds().contains(sessionName)) {
            entities.setInstanceIds(List.of(sessionName));
        }
        return Alert.newBuilder(trigger).setPrincipal(principal).setEntities(entities.build()).setRunbook(null)
            .setAccountId(link.getAccountId() != null ? link.getAccountId() : trigger.getAccountId()).setChain(List.of(link))
            .build();
    }

    private static List<Step> withoutNotifications(List<Step> steps) {
        // the trigger alert's own runbook notifies once for the incident; escalations to a person stay
        return steps.stream().filter(s -> s.phase() != Phase.NOTIFY || s.name().equals("escalate-to-human")).toList();
    }
}
