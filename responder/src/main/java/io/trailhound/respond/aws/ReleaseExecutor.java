package io.trailhound.respond.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Ec2Compromise;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.IamInstanceProfileAssociation;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Undoes one containment step from its audit record (#14): reactivates the access keys it deactivated, deletes the inline
 * deny it attached (or puts back the policy it replaced), restores a role's trust policy it narrowed, moves network
 * interfaces back to their original groups, re-associates the instance profile it removed or replaced, restores the bucket
 * policy or ACL grants it changed. Each
 * first checks the resource is still as the containment left it; one changed since (someone else edited the policy, the
 * interfaces left quarantine, the key was reactivated or deleted) is refused with the reason and left alone. Evidence and
 * tags are never touched.
 */
public final class ReleaseExecutor implements StepExecutor {

    /** Parameters of release steps (besides UserName, RoleName, InstanceId, Bucket, PolicyName). */
    public static final String ACCESS_KEY_IDS = "AccessKeyIds";
    public static final String OUR_DOCUMENT = "ContainmentDocument";
    public static final String PREVIOUS_DOCUMENT = "PreviousDocument";
    public static final String ORIGINAL_GROUPS = "OriginalGroups";
    public static final String ISOLATION_GROUPS = "IsolationGroups";
    public static final String PROFILE = "IamInstanceProfileArn";
    public static final String QUARANTINE_PROFILE = "QuarantineProfileArn";
    public static final String GRANTS = "Grants";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean quarantineProfile;

    /** @param quarantineProfile whether containment replaces instance profiles (a quarantine profile is configured) */
    public ReleaseExecutor(boolean quarantineProfile) {
        this.quarantineProfile = quarantineProfile;
    }

    @Override
    public Set<AwsAction> awsActions() {
        Set<AwsAction> actions = new TreeSet<>(List.of(AwsAction.IAM_LIST_ACCESS_KEYS, AwsAction.IAM_UPDATE_ACCESS_KEY,
            AwsAction.IAM_GET_USER_POLICY, AwsAction.IAM_PUT_USER_POLICY, AwsAction.IAM_DELETE_USER_POLICY, AwsAction.IAM_GET_ROLE_POLICY,
            AwsAction.IAM_PUT_ROLE_POLICY, AwsAction.IAM_DELETE_ROLE_POLICY, AwsAction.EC2_DESCRIBE_INSTANCES,
            AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE, AwsAction.EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS,
            AwsAction.EC2_ASSOCIATE_IAM_INSTANCE_PROFILE,
            // associating an instance profile passes its role to EC2
            AwsAction.IAM_PASS_ROLE, AwsAction.S3_GET_BUCKET_POLICY, AwsAction.S3_PUT_BUCKET_POLICY, AwsAction.S3_DELETE_BUCKET_POLICY,
            AwsAction.S3_GET_BUCKET_ACL, AwsAction.S3_PUT_BUCKET_ACL, AwsAction.IAM_GET_ROLE, AwsAction.IAM_UPDATE_ASSUME_ROLE_POLICY));
        if (quarantineProfile) {
            actions.add(AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION);
        }
        return actions;
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        Map<String, String> p = step.step().parameters();
        RequestIds ids = new RequestIds();
        return switch (step.step().action()) {
            case IAM_UPDATE_ACCESS_KEY -> reactivateKeys(aws.iam(), p, ids);
            case IAM_DELETE_USER_POLICY, IAM_DELETE_ROLE_POLICY -> removeDeny(aws.iam(), step.step().action(), p, ids);
            case EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE -> restoreGroups(aws.ec2(), p, ids);
            case EC2_ASSOCIATE_IAM_INSTANCE_PROFILE, EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION -> restoreProfile(aws.ec2(), p, ids);
            case S3_PUT_BUCKET_POLICY, S3_DELETE_BUCKET_POLICY -> restorePolicy(aws.s3(), p, ids);
            case S3_PUT_BUCKET_ACL -> restoreAcl(aws.s3(), p, ids);
            case IAM_UPDATE_ASSUME_ROLE_POLICY -> restoreTrust(aws.iam(), p, ids);
            default -> throw new IllegalArgumentException("no release for " + step.step().action());
        };
    }

    private static StepOutcome reactivateKeys(IamClient iam, Map<String, String> p, RequestIds ids) {
        String user = p.get("UserName");
        List<String> ours = Arrays.asList(p.get(ACCESS_KEY_IDS).split(","));
        Map<String, AccessKeyMetadata> keys = new LinkedHashMap<>();
        ids.record(iam.listAccessKeys(r -> r.userName(user))).accessKeyMetadata().forEach(k -> keys.put(k.accessKeyId(), k));
        for (String id : ours) {
            AccessKeyMetadata key = keys.get(id);
            if (key == null) {
                return refused(ids, "access key " + id + " of " + user + " was deleted since it was deactivated");
            }
            if (key.status() != StatusType.INACTIVE) {
                return refused(ids, "access key " + id + " of " + user + " was reactivated since it was deactivated");
            }
        }
        for (String id : ours) {
            ids.record(iam.updateAccessKey(r -> r.userName(user).accessKeyId(id).status(StatusType.ACTIVE)));
        }
        return StepOutcome.executed(ids.all(), Json.object("reactivatedAccessKeys", ours, "userName", List.of(user)), null);
    }

    private static StepOutcome removeDeny(IamClient iam, AwsAction action, Map<String, String> p, RequestIds ids) {
        boolean user = action == AwsAction.IAM_DELETE_USER_POLICY;
        String name = user ? p.get("UserName") : p.get("RoleName");
        String policy = p.get("PolicyName");
        String current;
        try {
            current = user ? ids.record(iam.getUserPolicy(r -> r.userName(name).policyName(policy))).policyDocument()
                : ids.record(iam.getRolePolicy(r -> r.roleName(name).policyName(policy))).policyDocument();
        } catch (NoSuchEntityException e) {
            return StepOutcome.alreadyDone(ids.all(), null, "policy " + policy + " of " + name + " is no longer attached");
        }
        if (!sameJson(URLDecoder.decode(current, StandardCharsets.UTF_8), p.get(OUR_DOCUMENT))) {
            return refused(ids, "policy " + policy + " of " + name + " changed since containment: the attached document differs from ours");
        }
        String previous = p.get(PREVIOUS_DOCUMENT);
        if (previous != null) {
            // the deny replaced a policy of the same name: put that one back rather than leave none
            if (user) {
                ids.record(iam.putUserPolicy(r -> r.userName(name).policyName(policy).policyDocument(previous)));
            } else {
                ids.record(iam.putRolePolicy(r -> r.roleName(name).policyName(policy).policyDocument(previous)));
            }
            return StepOutcome.executed(ids.all(), Json.object("restoredPolicy", List.of(policy), "principal", List.of(name)), null);
        }
        if (user) {
            ids.record(iam.deleteUserPolicy(r -> r.userName(name).policyName(policy)));
        } else {
            ids.record(iam.deleteRolePolicy(r -> r.roleName(name).policyName(policy)));
        }
        return StepOutcome.executed(ids.all(), Json.object("deletedPolicy", List.of(policy), "principal", List.of(name)), null);
    }

    /** Puts back the trust policy a federated root's containment narrowed (#18), if the role still has ours. */
    private static StepOutcome restoreTrust(IamClient iam, Map<String, String> p, RequestIds ids) {
        String role = p.get("RoleName");
        String current = URLDecoder.decode(ids.record(iam.getRole(r -> r.roleName(role))).role().assumeRolePolicyDocument(),
            StandardCharsets.UTF_8);
        String previous = p.get(PREVIOUS_DOCUMENT);
        if (sameJson(current, previous)) {
            return StepOutcome.alreadyDone(ids.all(), null, "the trust policy of " + role + " is the original already");
        }
        if (!sameJson(current, p.get(OUR_DOCUMENT))) {
            return refused(ids, "the trust policy of " + role + " changed since containment: it differs from ours");
        }
        ids.record(iam.updateAssumeRolePolicy(r -> r.roleName(role).policyDocument(previous)));
        return StepOutcome.executed(ids.all(), Json.object("restoredTrustPolicy", List.of(role)), null);
    }

    private static StepOutcome restoreGroups(Ec2Client ec2, Map<String, String> p, RequestIds ids) {
        Instance instance = Ec2Instances.describe(ec2, p.get("InstanceId"), ids);
        Optional<String> recorded = Optional.ofNullable(p.get(ORIGINAL_GROUPS))
            .or(() -> Ec2Instances.tag(instance, Ec2Compromise.ORIGINAL_GROUPS_TAG));
        if (recorded.isEmpty()) {
            return refused(ids, "no original security groups recorded for " + instance.instanceId());
        }
        Map<String, List<String>> original = originalGroups(recorded.get());
        List<String> isolation = Arrays.asList(p.getOrDefault(ISOLATION_GROUPS, "").split(","));
        for (InstanceNetworkInterface eni : instance.networkInterfaces()) {
            List<String> current = eni.groups().stream().map(GroupIdentifier::groupId).toList();
            if (!original.containsKey(eni.networkInterfaceId())) {
                return refused(ids, "network interface " + eni.networkInterfaceId() + " was attached since isolation");
            }
            if (current.size() != 1 || !isolation.contains(current.get(0))) {
                return refused(ids, "network interface " + eni.networkInterfaceId() + " is no longer in the isolation groups "
                    + isolation + " but in " + current);
            }
        }
        List<String> restored = new ArrayList<>();
        for (InstanceNetworkInterface eni : instance.networkInterfaces()) {
            List<String> groups = original.get(eni.networkInterfaceId());
            ids.record(ec2.modifyNetworkInterfaceAttribute(r -> r.networkInterfaceId(eni.networkInterfaceId()).groups(groups)));
            restored.add(eni.networkInterfaceId() + "=" + String.join("+", groups));
        }
        return StepOutcome.executed(ids.all(), Json.object("restoredGroups", restored), null);
    }

    /** {@code eni-1=sg-a+sg-b;eni-2=sg-c} as written by the isolation's tag. */
    static Map<String, List<String>> originalGroups(String recorded) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String entry : recorded.split(";")) {
            int at = entry.indexOf('=');
            if (at > 0) {
                groups.put(entry.substring(0, at), List.of(entry.substring(at + 1).split("\\+")));
            }
        }
        return groups;
    }

    private static StepOutcome restoreProfile(Ec2Client ec2, Map<String, String> p, RequestIds ids) {
        String instanceId = p.get("InstanceId");
        String profile = p.get(PROFILE);
        String quarantine = p.get(QUARANTINE_PROFILE);
        List<IamInstanceProfileAssociation> associations = ids.record(ec2.describeIamInstanceProfileAssociations(r -> r.filters(
            InstanceEvidenceExecutor.filter("instance-id", instanceId), InstanceEvidenceExecutor.filter("state", "associated"))))
            .iamInstanceProfileAssociations();
        if (quarantine == null) {
            if (!associations.isEmpty()) {
                return refused(ids, "instance " + instanceId + " has an instance profile again since containment: "
                    + associations.get(0).iamInstanceProfile().arn());
            }
            ids.record(ec2.associateIamInstanceProfile(r -> r.instanceId(instanceId).iamInstanceProfile(spec -> spec.arn(profile))));
            return StepOutcome.executed(ids.all(), Json.object("associatedInstanceProfile", List.of(profile)), null);
        }
        if (associations.size() != 1 || !quarantine.equals(associations.get(0).iamInstanceProfile().arn())) {
            return refused(ids, "instance " + instanceId + " no longer has the quarantine profile " + quarantine);
        }
        String association = associations.get(0).associationId();
        ids.record(ec2.replaceIamInstanceProfileAssociation(r -> r.associationId(association)
            .iamInstanceProfile(spec -> spec.arn(profile))));
        return StepOutcome.executed(ids.all(), Json.object("associatedInstanceProfile", List.of(profile)), null);
    }

    private static StepOutcome restorePolicy(S3Client s3, Map<String, String> p, RequestIds ids) {
        String bucket = p.get("Bucket");
        String current;
        try {
            current = ids.record(s3.getBucketPolicy(r -> r.bucket(bucket))).policy();
        } catch (S3Exception e) {
            if (e.awsErrorDetails() == null || !"NoSuchBucketPolicy".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            current = null;
        }
        String ours = p.get(OUR_DOCUMENT);
        if (current == null ? ours != null : !sameJson(current, ours)) {
            return refused(ids, "the policy of bucket " + bucket + " changed since containment: it differs from the one we put");
        }
        String previous = p.get(PREVIOUS_DOCUMENT);
        if (previous == null) {
            ids.record(s3.deleteBucketPolicy(r -> r.bucket(bucket)));
        } else {
            ids.record(s3.putBucketPolicy(r -> r.bucket(bucket).policy(previous)));
        }
        return StepOutcome.executed(ids.all(), Json.object("restoredPolicy", previous == null ? List.of() : List.of(previous),
            "bucket", List.of(bucket)), null);
    }

    private static StepOutcome restoreAcl(S3Client s3, Map<String, String> p, RequestIds ids) {
        String bucket = p.get("Bucket");
        GetBucketAclResponse acl = ids.record(s3.getBucketAcl(r -> r.bucket(bucket)));
        List<Grant> restored = new ArrayList<>(acl.grants());
        for (String removed : p.get(GRANTS).split(";")) {
            int at = removed.lastIndexOf('=');
            String uri = removed.substring(0, at);
            if (acl.grants().stream().anyMatch(g -> g.grantee() != null && uri.equals(g.grantee().uri()))) {
                return refused(ids, "the ACL of bucket " + bucket + " changed since containment: it grants " + uri + " again");
            }
            restored.add(Grant.builder().grantee(g -> g.type(Type.GROUP).uri(uri))
                .permission(Permission.fromValue(removed.substring(at + 1))).build());
        }
        ids.record(s3.putBucketAcl(r -> r.bucket(bucket).accessControlPolicy(a -> a.owner(acl.owner()).grants(restored))));
        return StepOutcome.executed(ids.all(), Json.object("restoredGrants", List.of(p.get(GRANTS).split(";"))), null);
    }

    private static StepOutcome refused(RequestIds ids, String reason) {
        return StepOutcome.skipped(ids.all(), "release refused: " + reason);
    }

    private static boolean sameJson(String a, String b) {
        if (b == null) {
            return false;
        }
        try {
            return MAPPER.readTree(a).equals(MAPPER.readTree(b));
        } catch (JsonProcessingException e) {
            return a.equals(b);
        }
    }
}
