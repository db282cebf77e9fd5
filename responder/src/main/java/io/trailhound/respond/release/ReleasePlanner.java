package io.trailhound.respond.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.ActionPhase;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.aws.ReleaseExecutor;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.Arns;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.Step;

/**
 * Plans the release of an incident's containment (#14) from its audit records: one step per reversible containment step
 * that changed something (keys deactivated, inline denies attached, a role's trust policy narrowed, interfaces isolated, an
 * instance profile removed or replaced, a bucket policy or ACL replaced), in the reverse order of containment, each waiting
 * for approval and carrying
 * what the containment recorded so the responder can check the resource is unchanged before undoing it. Everything else
 * the incident did is kept, with the reason: evidence, preservation, and what cannot be given back.
 */
public final class ReleasePlanner {

    /** Runbook id of release steps in audit records and approval requests. */
    public static final String RUNBOOK = "release";

    /** Every action a release step can take: the release executor runs them all. */
    public static final Set<AwsAction> ACTIONS = Set.of(AwsAction.IAM_UPDATE_ACCESS_KEY, AwsAction.IAM_DELETE_USER_POLICY,
        AwsAction.IAM_DELETE_ROLE_POLICY, AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE, AwsAction.EC2_ASSOCIATE_IAM_INSTANCE_PROFILE,
        AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION, AwsAction.S3_PUT_BUCKET_POLICY, AwsAction.S3_DELETE_BUCKET_POLICY,
        AwsAction.S3_PUT_BUCKET_ACL, AwsAction.IAM_UPDATE_ASSUME_ROLE_POLICY);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<ActionStatus> REQUESTED = Set.of(ActionStatus.AWAITING_APPROVAL, ActionStatus.APPROVED,
        ActionStatus.EXECUTED);

    private ReleasePlanner() {
    }

    /** The action id of the release of containment step {@code actionId} of {@code incidentId}. */
    public static String actionId(String incidentId, String actionId) {
        return incidentId + "|" + RUNBOOK + "|" + actionId;
    }

    /**
     * The release of {@code incidentId} from the latest record of each of its actions (any order), restricted to one
     * containment step when {@code only} names its action id (or its release's).
     */
    public static ReleasePlan plan(String incidentId, List<ResponseAction> records, Optional<String> only) {
        Map<String, ResponseAction> latest = new HashMap<>();
        records.stream().filter(r -> incidentId.equals(r.getIncidentId())).forEach(r -> latest.put(r.getActionId(), r));
        List<ResponseAction> containment = latest.values().stream()
            .filter(r -> !RUNBOOK.equals(r.getRunbook()))
            .filter(r -> only.isEmpty() || only.get().equals(r.getActionId()) || only.get().equals(actionId(incidentId, r.getActionId())))
            .sorted(Comparator.comparing(ResponseAction::getTime).thenComparing(ResponseAction::getActionId).reversed())
            .toList();
        List<PlannedStep> steps = new ArrayList<>();
        List<ReleasePlan.Kept> kept = new ArrayList<>();
        Set<String> isolated = new LinkedHashSet<>();
        for (ResponseAction action : containment) {
            Optional<String> keep = keepReason(action);
            if (keep.isPresent()) {
                kept.add(new ReleasePlan.Kept(action.getActionId(), action.getAwsAction(), action.getResource(), keep.get()));
                continue;
            }
            boolean isolation = AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE.id().equals(action.getAwsAction());
            if (isolation && !isolated.add(action.getResource())) {
                // one release per instance: the latest isolation step moves every interface back from either group
                continue;
            }
            Optional<ResponseAction> release = Optional.ofNullable(latest.get(actionId(incidentId, action.getActionId())));
            if (release.isPresent() && REQUESTED.contains(release.get().getStatus())) {
                kept.add(new ReleasePlan.Kept(action.getActionId(), action.getAwsAction(), action.getResource(),
                    "release already " + release.get().getStatus().name().toLowerCase().replace('_', ' ')));
                continue;
            }
            steps.add(step(action, steps.size() + 1, latest.values()));
        }
        return new ReleasePlan(incidentId, steps, kept);
    }

    /** Why {@code action} is not released; empty when it is reversible and changed something. */
    private static Optional<String> keepReason(ResponseAction action) {
        if (action.getPhase() == ActionPhase.EVIDENCE) {
            return Optional.of("evidence is never touched");
        }
        if (action.getPhase() == ActionPhase.NOTIFICATION) {
            return Optional.of("a notification");
        }
        if (action.getStatus() != ActionStatus.EXECUTED) {
            return Optional.of("not executed (" + action.getStatus() + "): nothing to undo");
        }
        if (action.getRollback() == null) {
            return Optional.of("changed nothing (" + Optional.ofNullable(action.getReason()).orElse("no rollback recorded") + ")");
        }
        Optional<AwsAction> type = AwsAction.find(action.getAwsAction());
        if (type.isEmpty()) {
            return Optional.of("unknown action");
        }
        return switch (type.get()) {
            case EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE, EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE,
                EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION -> Optional.empty();
            case IAM_UPDATE_ACCESS_KEY -> recorded(action, "userName");
            case IAM_PUT_USER_POLICY, IAM_PUT_ROLE_POLICY, IAM_UPDATE_ASSUME_ROLE_POLICY -> recorded(action, "document");
            case S3_PUT_BUCKET_POLICY, S3_PUT_BUCKET_ACL -> recorded(action, "bucket");
            case IAM_DELETE_LOGIN_PROFILE -> Optional.of("the console password cannot be given back: create a new one with "
                + "PasswordResetRequired by hand");
            case EC2_MODIFY_INSTANCE_ATTRIBUTE -> Optional.of("preservation of the evidence (termination protection, shutdown "
                + "behaviour, volumes) is kept; undo by hand after the investigation");
            default -> Optional.of("not released automatically: " + first(action.getRollback(), "undo"));
        };
    }

    /** Empty when the rollback record carries {@code field}; records written before release existed do not. */
    private static Optional<String> recorded(ResponseAction action, String field) {
        return field(action.getRollback(), field).isPresent() ? Optional.empty()
            : Optional.of("recorded before release existed (#14): undo by hand, " + first(action.getRollback(), "undo"));
    }

    private static PlannedStep step(ResponseAction action, int order, Collection<ResponseAction> all) {
        String rollback = action.getRollback();
        Map<String, String> p = new HashMap<>();
        p.put(Step.RELEASES, action.getActionId());
        AwsAction release;
        String what;
        switch (AwsAction.of(action.getAwsAction())) {
            case IAM_UPDATE_ACCESS_KEY -> {
                release = AwsAction.IAM_UPDATE_ACCESS_KEY;
                p.put("UserName", first(rollback, "userName"));
                p.put(ReleaseExecutor.ACCESS_KEY_IDS, String.join(",", list(rollback, "accessKeys")));
                what = "reactivate access keys " + p.get(ReleaseExecutor.ACCESS_KEY_IDS) + " (only those the containment deactivated)";
            }
            case IAM_PUT_USER_POLICY, IAM_PUT_ROLE_POLICY -> {
                boolean user = AwsAction.of(action.getAwsAction()) == AwsAction.IAM_PUT_USER_POLICY;
                release = user ? AwsAction.IAM_DELETE_USER_POLICY : AwsAction.IAM_DELETE_ROLE_POLICY;
                p.put(user ? "UserName" : "RoleName", first(rollback, "principalName"));
                p.put("PolicyName", first(rollback, "policyName"));
                p.put(ReleaseExecutor.OUR_DOCUMENT, first(rollback, "document"));
                Optional.ofNullable(first(rollback, "previousDocument")).ifPresent(d -> p.put(ReleaseExecutor.PREVIOUS_DOCUMENT, d));
                what = "delete inline policy " + p.get("PolicyName") + " if it is still ours";
            }
            case IAM_UPDATE_ASSUME_ROLE_POLICY -> {
                release = AwsAction.IAM_UPDATE_ASSUME_ROLE_POLICY;
                p.put("RoleName", first(rollback, "roleName"));
                p.put(ReleaseExecutor.OUR_DOCUMENT, first(rollback, "document"));
                p.put(ReleaseExecutor.PREVIOUS_DOCUMENT, first(rollback, "previousDocument"));
                what = "restore the trust policy of " + p.get("RoleName") + " the containment narrowed, if it is still ours";
            }
            case EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE -> {
                release = AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE;
                p.put("InstanceId", Arns.resourceId(action.getResource()));
                p.put(ReleaseExecutor.ISOLATION_GROUPS, String.join(",", isolationGroups(action.getResource(), all)));
                originalGroups(action.getResource(), all).ifPresent(g -> p.put(ReleaseExecutor.ORIGINAL_GROUPS, g));
                what = "move every network interface back to its original security groups if still isolated";
            }
            case EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE, EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION -> {
                boolean replaced = AwsAction.of(action.getAwsAction()) == AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION;
                release = replaced ? AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION : AwsAction.EC2_ASSOCIATE_IAM_INSTANCE_PROFILE;
                p.put("InstanceId", Optional.ofNullable(first(rollback, "instanceId")).orElse(Arns.resourceId(action.getResource())));
                p.put(ReleaseExecutor.PROFILE, first(rollback, "instanceProfiles"));
                if (replaced) {
                    p.put(ReleaseExecutor.QUARANTINE_PROFILE, first(rollback, "quarantineProfile"));
                }
                what = "re-associate instance profile " + p.get(ReleaseExecutor.PROFILE);
            }
            case S3_PUT_BUCKET_POLICY -> {
                String previous = first(rollback, "policy");
                release = previous == null ? AwsAction.S3_DELETE_BUCKET_POLICY : AwsAction.S3_PUT_BUCKET_POLICY;
                p.put("Bucket", first(rollback, "bucket"));
                Optional.ofNullable(first(rollback, "policyAfter")).ifPresent(d -> p.put(ReleaseExecutor.OUR_DOCUMENT, d));
                Optional.ofNullable(previous).ifPresent(d -> p.put(ReleaseExecutor.PREVIOUS_DOCUMENT, d));
                what = "put back the bucket policy the containment replaced";
            }
            case S3_PUT_BUCKET_ACL -> {
                release = AwsAction.S3_PUT_BUCKET_ACL;
                p.put("Bucket", first(rollback, "bucket"));
                p.put(ReleaseExecutor.GRANTS, String.join(";", list(rollback, "grants")));
                what = "give back the ACL grants the containment removed";
            }
            default -> throw new IllegalArgumentException("not reversible: " + action.getAwsAction());
        }
        Step step = new Step("release-" + action.getStep(), Phase.CONTAINMENT, release, action.getResource(), p, false, true);
        return new PlannedStep(actionId(action.getIncidentId(), action.getActionId()), action.getIncidentId(), action.getAlertId(),
            RUNBOOK, order, step, action.getAccountId(), action.getRegion(), "release of " + action.getStep() + ": " + what, null);
    }

    /** Every group the incident's isolation steps moved the instance's interfaces to (allow-all, quarantine). */
    private static List<String> isolationGroups(String instanceArn, Collection<ResponseAction> all) {
        Set<String> groups = new LinkedHashSet<>();
        all.stream().filter(r -> instanceArn.equals(r.getResource()) && r.getStatus() == ActionStatus.EXECUTED
                && AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE.id().equals(r.getAwsAction()))
            .sorted(Comparator.comparing(ResponseAction::getTime))
            .forEach(r -> groups.addAll(list(r.getDetails(), "group")));
        return List.copyOf(groups);
    }

    /** The original groups the isolation recorded (its tag's value); empty: the executor reads the instance's tag. */
    private static Optional<String> originalGroups(String instanceArn, Collection<ResponseAction> all) {
        return all.stream().filter(r -> instanceArn.equals(r.getResource()) && AwsAction.EC2_CREATE_TAGS.id().equals(r.getAwsAction()))
            .map(r -> first(r.getDetails(), "originalGroups")).filter(g -> g != null && !g.isEmpty()).findFirst();
    }

    private static Optional<JsonNode> field(String json, String name) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(json).get(name);
            return node == null || node.isNull() || node.isArray() && node.isEmpty() ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static List<String> list(String json, String name) {
        List<String> values = new ArrayList<>();
        field(json, name).ifPresent(node -> {
            if (node.isArray()) {
                node.forEach(v -> values.add(v.asText()));
            } else {
                values.add(node.asText());
            }
        });
        return values;
    }

    private static String first(String json, String name) {
        List<String> values = list(json, name);
        return values.isEmpty() ? null : values.get(0);
    }
}
