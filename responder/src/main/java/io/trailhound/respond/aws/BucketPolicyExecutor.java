package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Reverts a bucket policy or ACL change (an approved step): puts back the prior policy when the alert's evidence carried
 * it, else removes the statements granting access to everyone ({@code "*"} without a condition) or to accounts other than
 * the owner and the trusted ones; an ACL loses its grants to the AllUsers and AuthenticatedUsers groups. The current policy
 * and ACL are recorded for rollback; a bucket already in the wanted state is not touched.
 */
public final class BucketPolicyExecutor implements StepExecutor {

    /** Parameter carrying the policy to put back, when the alert's evidence had it. */
    public static final String PRIOR_POLICY = "PriorPolicy";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> PUBLIC_GROUPS = Set.of("http://acs.amazonaws.com/groups/global/AllUsers",
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers");

    private final Set<String> trustedAccounts;

    /** An executor keeping statements for the owner and {@code trustedAccounts}. */
    public BucketPolicyExecutor(Set<String> trustedAccounts) {
        this.trustedAccounts = Set.copyOf(trustedAccounts);
    }

    @Override
    public Set<AwsAction> awsActions() {
        return Set.of(AwsAction.S3_GET_BUCKET_POLICY, AwsAction.S3_PUT_BUCKET_POLICY, AwsAction.S3_DELETE_BUCKET_POLICY,
            AwsAction.S3_GET_BUCKET_ACL, AwsAction.S3_PUT_BUCKET_ACL);
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        RequestIds ids = new RequestIds();
        if (step.step().action() == AwsAction.S3_PUT_BUCKET_ACL) {
            return revertAcl(aws.s3(), p.get("Bucket"), ids);
        }
        String current = currentPolicy(aws.s3(), p.get("Bucket"), ids);
        String prior = p.get(PRIOR_POLICY);
        String wanted = prior != null ? prior : withoutForeignStatements(current, step.accountId());
        if (same(current, wanted)) {
            return StepOutcome.alreadyDone(ids.all(), null, prior != null ? "the bucket already has its prior policy"
                : "the bucket policy grants nothing to the public or foreign accounts");
        }
        String bucket = p.get("Bucket");
        if (wanted == null) {
            ids.record(aws.s3().deleteBucketPolicy(r -> r.bucket(bucket)));
        } else {
            ids.record(aws.s3().putBucketPolicy(r -> r.bucket(bucket).policy(wanted)));
        }
        return StepOutcome.executed(ids.all(), Json.object("policyBefore", listOf(current), "policyAfter", listOf(wanted)),
            Json.object(Map.of("undo", List.of(current == null ? "DeleteBucketPolicy" : "PutBucketPolicy"), "policy", listOf(current),
                "policyAfter", listOf(wanted), "bucket", List.of(bucket))));
    }

    private static String currentPolicy(S3Client s3, String bucket, RequestIds ids) {
        try {
            return ids.record(s3.getBucketPolicy(r -> r.bucket(bucket))).policy();
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null && "NoSuchBucketPolicy".equals(e.awsErrorDetails().errorCode())) {
                return null;
            }
            throw e;
        }
    }

    /** The policy without public or foreign Allow statements; {@code null} when nothing is left (or there was none). */
    String withoutForeignStatements(String policy, String ownerAccount) {
        if (policy == null) {
            return null;
        }
        try {
            ObjectNode document = (ObjectNode) MAPPER.readTree(policy);
            JsonNode statements = document.path("Statement");
            ArrayNode kept = MAPPER.createArrayNode();
            for (JsonNode statement : statements.isArray() ? statements : MAPPER.createArrayNode().add(statements)) {
                if (!("Allow".equals(statement.path("Effect").asText()) && grantsOutside(statement, ownerAccount))) {
                    kept.add(statement);
                }
            }
            if (kept.isEmpty()) {
                return null;
            }
            document.set("Statement", kept);
            return MAPPER.writeValueAsString(document);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("the bucket policy is not a JSON policy document", e);
        }
    }

    private boolean grantsOutside(JsonNode statement, String ownerAccount) {
        JsonNode principal = statement.path("Principal");
        List<String> principals = new ArrayList<>();
        if (principal.isTextual()) {
            principals.add(principal.asText());
        } else {
            JsonNode aws = principal.path("AWS");
            if (aws.isTextual()) {
                principals.add(aws.asText());
            }
            aws.forEach(node -> principals.add(node.asText()));
        }
        for (String who : principals) {
            if ("*".equals(who) && statement.path("Condition").isMissingNode()) {
                return true;
            }
            String account = who.matches("\\d{12}") ? who : who.startsWith("arn:") && who.split(":").length > 4 ? who.split(":")[4] : null;
            if (account != null && !account.isEmpty() && !account.equals(ownerAccount) && !trustedAccounts.contains(account)) {
                return true;
            }
        }
        return false;
    }

    private static StepOutcome revertAcl(S3Client s3, String bucket, RequestIds ids) {
        GetBucketAclResponse acl = ids.record(s3.getBucketAcl(r -> r.bucket(bucket)));
        List<Grant> kept = acl.grants().stream().filter(grant -> !isPublic(grant)).toList();
        if (kept.size() == acl.grants().size()) {
            return StepOutcome.alreadyDone(ids.all(), null, "the bucket ACL grants nothing to everyone");
        }
        List<String> removed = acl.grants().stream().filter(BucketPolicyExecutor::isPublic)
            .map(g -> g.grantee().uri() + "=" + g.permissionAsString()).toList();
        ids.record(s3.putBucketAcl(r -> r.bucket(bucket).accessControlPolicy(a -> a.owner(acl.owner()).grants(kept))));
        return StepOutcome.executed(ids.all(), Json.object("removedGrants", removed),
            Json.object(Map.of("undo", List.of("PutBucketAcl"), "grants", removed, "bucket", List.of(bucket))));
    }

    private static boolean isPublic(Grant grant) {
        return grant.grantee() != null && grant.grantee().type() == Type.GROUP && PUBLIC_GROUPS.contains(grant.grantee().uri());
    }

    private static boolean same(String current, String wanted) {
        if (current == null || wanted == null) {
            return current == null && wanted == null;
        }
        try {
            return MAPPER.readTree(current).equals(MAPPER.readTree(wanted));
        } catch (JsonProcessingException e) {
            return current.equals(wanted);
        }
    }

    private static List<String> listOf(String value) {
        return value == null ? List.of() : List.of(value);
    }
}
