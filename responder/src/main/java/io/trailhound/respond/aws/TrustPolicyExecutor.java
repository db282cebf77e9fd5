package io.trailhound.respond.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.TrustPolicies;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A federated chain root's role trust policy (#18 item 5): {@code iam:GetRole} copies the current trust policy to the evidence
 * bucket (the evidence step, before any change); {@code iam:UpdateAssumeRolePolicy} narrows it to the subjects the role served
 * before ({@link TrustPolicies#narrow}). The narrowing waits for approval, and its approval request shows the exact diff
 * ({@link #preview}); the approved step acts only if the policy is still the one the approver saw, and records the original
 * for the release.
 */
public final class TrustPolicyExecutor implements StepExecutor {

    private static final String PROVIDER = TrustPolicies.PROVIDER;
    private static final String SUBJECTS = TrustPolicies.SUBJECTS;
    /** SHA-256 of the trust policy the approver was shown (compact JSON as IAM returned it, decoded). */
    public static final String SHOWN_POLICY_SHA256 = "ShownPolicySha256";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EvidenceStore store;

    public TrustPolicyExecutor(EvidenceStore store) {
        this.store = store;
    }

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.IAM_GET_ROLE, AwsAction.IAM_UPDATE_ASSUME_ROLE_POLICY);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        RequestIds ids = new RequestIds();
        String current = current(aws.iam(), p.get("RoleName"), ids);
        if (step.step().action() == AwsAction.IAM_GET_ROLE) {
            String object = p.get("EvidenceObject");
            if (store.exists(aws.evidence(), object)) {
                return StepOutcome.alreadyDone(ids.all(), Json.object("evidence", List.of(object)), "trust policy already captured");
            }
            List<String> all = new ArrayList<>(ids.all());
            all.add(store.put(aws.evidence(), object, TrustPolicies.pretty(current).getBytes(StandardCharsets.UTF_8),
                step.incidentId()));
            return StepOutcome.executed(all, Json.object("evidence", List.of(object)), null);
        }
        Optional<String> narrowed = TrustPolicies.narrow(current, p.get(PROVIDER), subjects(p));
        if (narrowed.isEmpty()) {
            return StepOutcome.skipped(ids.all(), "no statement of the trust policy of " + p.get("RoleName") + " trusts "
                + p.get(PROVIDER) + ": nothing to narrow");
        }
        if (TrustPolicies.same(current, narrowed.get())) {
            return StepOutcome.alreadyDone(ids.all(), null, "the trust policy admits only the subjects served before");
        }
        String shown = p.get(SHOWN_POLICY_SHA256);
        if (shown != null && !shown.equals(sha256(current))) {
            return StepOutcome.skipped(ids.all(), "the trust policy of " + p.get("RoleName") + " changed since the approval was "
                + "requested: the approver saw another policy; nothing done");
        }
        String document = narrowed.get();
        ids.record(aws.iam().updateAssumeRolePolicy(r -> r.roleName(p.get("RoleName")).policyDocument(document)));
        // what a release needs: whose policy, ours to compare with what is there then, and the original to put back
        return StepOutcome.executed(ids.all(), Json.object("role", List.of(p.get("RoleName")), "previousDocument", List.of(current)),
            Json.object(Map.of("undo", List.of("UpdateAssumeRolePolicy with previousDocument"), "roleName", List.of(p.get("RoleName")),
                "document", List.of(document), "previousDocument", List.of(current))));
    }

    /** The current and narrowed trust policy and their diff, for the approval request; empty for the evidence step. */
    @Override
    public Optional<ApprovalPreview> preview(PlannedStep step, Supplier<AwsClients> aws) {
        if (step.step().action() != AwsAction.IAM_UPDATE_ASSUME_ROLE_POLICY) {
            return Optional.empty();
        }
        Map<String, String> p = step.step().parameters();
        String current = current(aws.get().iam(), p.get("RoleName"), new RequestIds());
        String narrowed = TrustPolicies.narrow(current, p.get(PROVIDER), subjects(p)).orElse(current);
        ObjectNode details = MAPPER.createObjectNode();
        details.put("role", p.get("RoleName")).put("provider", p.get(PROVIDER));
        subjects(p).forEach(details.putArray("subjects")::add);
        try {
            details.set("currentPolicy", MAPPER.readTree(current));
            details.set("narrowedPolicy", MAPPER.readTree(narrowed));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the trust policy of " + p.get("RoleName") + " is not JSON", e);
        }
        details.put("diff", TrustPolicies.diff(current, narrowed));
        return Optional.of(new ApprovalPreview(details.toString(), Map.of(SHOWN_POLICY_SHA256, sha256(current))));
    }

    private static String current(IamClient iam, String role, RequestIds ids) {
        return URLDecoder.decode(ids.record(iam.getRole(r -> r.roleName(role))).role().assumeRolePolicyDocument(),
            StandardCharsets.UTF_8);
    }

    private static List<String> subjects(Map<String, String> p) {
        try {
            return MAPPER.readValue(p.getOrDefault(SUBJECTS, "[]"), new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("step parameter " + SUBJECTS + " is not a JSON list of subjects", e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }
}
