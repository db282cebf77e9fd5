package io.trailhound.respond.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Attaches the planned inline deny policy to a user ({@code iam:PutUserPolicy}) or role ({@code iam:PutRolePolicy}),
 * unless the same document is already attached under that name.
 */
public final class InlineDenyExecutor implements StepExecutor {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.IAM_GET_USER_POLICY, AwsAction.IAM_PUT_USER_POLICY, AwsAction.IAM_GET_ROLE_POLICY,
            AwsAction.IAM_PUT_ROLE_POLICY);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        String policyName = p.get("PolicyName");
        String document = p.get("PolicyDocument");
        IamClient iam = aws.iam();
        RequestIds ids = new RequestIds();
        boolean user = step.step().action() == AwsAction.IAM_PUT_USER_POLICY;
        String current;
        try {
            current = user
                ? ids.record(iam.getUserPolicy(r -> r.userName(p.get("UserName")).policyName(policyName))).policyDocument()
                : ids.record(iam.getRolePolicy(r -> r.roleName(p.get("RoleName")).policyName(policyName))).policyDocument();
        } catch (NoSuchEntityException e) {
            current = null;
        }
        if (current != null && sameJson(URLDecoder.decode(current, StandardCharsets.UTF_8), document)) {
            return StepOutcome.alreadyDone(ids.all(), null, "policy " + policyName + " is already attached");
        }
        if (user) {
            ids.record(iam.putUserPolicy(r -> r.userName(p.get("UserName")).policyName(policyName).policyDocument(document)));
        } else {
            ids.record(iam.putRolePolicy(r -> r.roleName(p.get("RoleName")).policyName(policyName).policyDocument(document)));
        }
        String undo = (user ? "DeleteUserPolicy " : "DeleteRolePolicy ") + policyName
            + (current == null ? "" : " (a previous version existed; restore it from details)");
        List<String> previous = current == null ? List.of() : List.of(URLDecoder.decode(current, StandardCharsets.UTF_8));
        // what a release (#14) needs: whose policy, ours to compare with what is attached then, and the one it replaced
        return StepOutcome.executed(ids.all(), Json.object("policy", List.of(policyName), "previousDocument", previous),
            Json.object(Map.of("undo", List.of(undo), "principalName", List.of(user ? p.get("UserName") : p.get("RoleName")),
                "policyName", List.of(policyName), "document", List.of(document), "previousDocument", previous)));
    }

    private static boolean sameJson(String a, String b) {
        try {
            return MAPPER.readTree(a).equals(MAPPER.readTree(b));
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
