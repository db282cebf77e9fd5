package io.trailhound.respond.aws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Ec2Compromise;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.UnauthorizedResourceCreation;

/**
 * The least-privilege IAM policies of the responder, derived from what its executors call: one for the role it assumes
 * in every account it acts in and its permissions boundary (least actions and least power: #19), one for its own identity
 * (assume that role, write evidence).
 */
public final class ResponderPolicy {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponderPolicy() {
    }

    /** Tags the responder sets on the instances it contains: the only keys its role may write, and the quarantine marks. */
    public static final List<String> OWN_INSTANCE_TAG_KEYS = List.of(Ec2Compromise.INCIDENT_TAG, Ec2Compromise.ORIGINAL_GROUPS_TAG,
        UnauthorizedResourceCreation.REASON_TAG);
    /** The mark of an instance the responder has contained for an incident: destructive calls need it on the instance. */
    public static final String QUARANTINE_TAG = Ec2Compromise.INCIDENT_TAG;
    /** Calls that stop, end or re-credential an instance: only on an instance the responder has tagged for an incident. */
    public static final Set<AwsAction> QUARANTINED_INSTANCE_ACTIONS = Set.of(AwsAction.EC2_TERMINATE_INSTANCES,
        AwsAction.EC2_STOP_INSTANCES, AwsAction.EC2_ASSOCIATE_IAM_INSTANCE_PROFILE, AwsAction.EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION);
    /** Calls whose power depends on their arguments, each in a statement of its own below. */
    private static final Set<AwsAction> SCOPED = Set.of(AwsAction.EC2_CREATE_TAGS, AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE,
        AwsAction.EC2_MODIFY_IMAGE_ATTRIBUTE, AwsAction.IAM_PASS_ROLE, AwsAction.SSM_SEND_COMMAND);
    /** Reads, the only calls allowed on the role itself, the hub identity and protected principals. */
    private static final List<String> READS = List.of("iam:Get*", "iam:List*");
    /**
     * What the role never does anywhere, denied explicitly so that no policy attached later grants it: create principals,
     * credentials or policies, attach or detach managed policies, change permissions boundaries, groups, tags or identity
     * providers, become another role, start or log into instances, remove tags.
     */
    static final List<String> ESCALATIONS = List.of("iam:CreateUser", "iam:CreateRole", "iam:CreateGroup", "iam:CreateAccessKey",
        "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential",
        "iam:UploadSSHPublicKey", "iam:UploadSigningCertificate", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice",
        "iam:DeactivateMFADevice", "iam:Attach*", "iam:Detach*", "iam:CreatePolicy", "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:Put*PermissionsBoundary",
        "iam:Delete*PermissionsBoundary", "iam:AddUserToGroup", "iam:RemoveUserFromGroup", "iam:PutGroupPolicy", "iam:DeleteGroupPolicy",
        "iam:Tag*", "iam:Untag*", "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
        "iam:UpdateRole", "iam:CreateServiceLinkedRole", "iam:CreateSAMLProvider", "iam:UpdateSAMLProvider",
        "iam:CreateOpenIDConnectProvider", "iam:AddClientIDToOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
        "iam:UpdateAccountPasswordPolicy", "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity",
        "sts:GetFederationToken", "sts:GetSessionToken", "ec2:DeleteTags", "ec2:RunInstances", "ec2:StartInstances",
        "ec2:CreateKeyPair", "ec2:ImportKeyPair", "ec2-instance-connect:SendSSHPublicKey",
        "ec2-instance-connect:SendSerialConsoleSSHPublicKey", "ssm:StartSession", "s3:PutBucketAbac");

    /** Instance attributes the role never changes: code, kernel, type, network identity, stop protection. */
    static final List<String> INSTANCE_ATTRIBUTES_NEVER_CHANGED = List.of("userData", "instanceType", "kernel", "ramdisk", "groupSet",
        "sourceDestCheck", "disableApiStop", "enaSupport", "sriovNetSupport");

    /** The policy of the role assumed in each account, with the default configuration's guards. */
    public static String targetAccountRole(StepExecutors executors) {
        return targetAccountRole(executors, MemberRoleGuards.defaults());
    }

    /**
     * The policy of the role assumed in each account: exactly the executors' actions, each as narrow as IAM can say it
     * (destructive instance calls only on instances tagged {@value Ec2Compromise#INCIDENT_TAG}, tags only of our keys,
     * sharing only removed or to the forensic account, roles passed to EC2 only, one SSM document), and explicit denies
     * that keep the role from raising its own power or touching the hub identity and protected principals.
     */
    public static String targetAccountRole(StepExecutors executors, MemberRoleGuards guards) {
        return write(memberRole(executors.awsActions(), guards));
    }

    /**
     * The permissions boundary of the role assumed in each account (a managed policy named
     * {@value MemberRoleGuards#BOUNDARY_POLICY_NAME} under the path {@value MemberRoleGuards#PROTECTED_PATH}): the same
     * ceiling as {@link #targetAccountRole}, so that no policy attached to the role later (an administrator's mistake, an
     * organization-wide managed policy) widens it; the role can neither change nor remove it.
     */
    public static String targetAccountBoundary(StepExecutors executors, MemberRoleGuards guards) {
        return write(memberRole(executors.awsActions(), guards));
    }

    private static ObjectNode memberRole(SortedSet<String> ids, MemberRoleGuards guards) {
        Set<AwsAction> actions = new TreeSet<>();
        ids.forEach(id -> actions.add(AwsAction.of(id)));
        String p = guards.partition();
        String instances = "arn:" + p + ":ec2:*:*:instance/*";
        String snapshots = "arn:" + p + ":ec2:*::snapshot/*";
        ObjectNode policy = MAPPER.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        statement(statements, "Contain", "*", actions.stream()
            .filter(a -> !SCOPED.contains(a) && !QUARANTINED_INSTANCE_ACTIONS.contains(a)).map(AwsAction::id).sorted().toList());
        List<String> quarantined = actions.stream().filter(QUARANTINED_INSTANCE_ACTIONS::contains).map(AwsAction::id).sorted().toList();
        if (!quarantined.isEmpty()) {
            condition(statement(statements, "OnlyInstancesQuarantinedForAnIncident", instances, quarantined), "Null",
                "aws:ResourceTag/" + QUARANTINE_TAG, "false");
        }
        if (actions.contains(AwsAction.EC2_CREATE_TAGS)) {
            ObjectNode tags = statement(statements, "OnlyOurTagsOnInstances", instances, List.of(AwsAction.EC2_CREATE_TAGS.id()));
            condition(tags, "ForAllValues:StringEquals", "aws:TagKeys", OWN_INSTANCE_TAG_KEYS.toArray(String[]::new));
            condition(tags, "Null", "aws:TagKeys", "false");
            if (actions.contains(AwsAction.EC2_CREATE_SNAPSHOTS)) {
                condition(statement(statements, "TagOnlyTheSnapshotsWeTake", snapshots, List.of(AwsAction.EC2_CREATE_TAGS.id())),
                    "StringEquals", "ec2:CreateAction", "CreateSnapshots");
            }
        }
        sharing(statements, actions, guards, snapshots);
        if (actions.contains(AwsAction.IAM_PASS_ROLE)) {
            condition(statement(statements, "PassRolesToEc2Only", "arn:" + p + ":iam::*:role/*", List.of(AwsAction.IAM_PASS_ROLE.id())),
                "StringEquals", "iam:PassedToService", "ec2.amazonaws.com");
        }
        if (actions.contains(AwsAction.SSM_SEND_COMMAND)) {
            List<String> resources = new ArrayList<>(List.of(instances));
            if (!guards.memoryCaptureDocument().isBlank()) {
                resources.add("arn:" + p + ":ssm:*:*:document/" + guards.memoryCaptureDocument());
            }
            statement(statements, "OnlyTheMemoryCaptureDocument", resources, List.of(AwsAction.SSM_SEND_COMMAND.id()));
        }
        denies(statements, guards);
        return policy;
    }

    /** Snapshot and image sharing: removing any, adding only the forensic account to the incident's own snapshots. */
    private static void sharing(ArrayNode statements, Set<AwsAction> actions, MemberRoleGuards guards, String snapshots) {
        List<String> unshare = actions.stream().filter(a -> a == AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE
            || a == AwsAction.EC2_MODIFY_IMAGE_ATTRIBUTE).map(AwsAction::id).sorted().toList();
        if (unshare.isEmpty()) {
            return;
        }
        ObjectNode remove = statement(statements, "OnlyRemoveSharing", "*", unshare);
        condition(remove, "Null", "ec2:Add/userId", "true");
        condition(remove, "Null", "ec2:Add/group", "true");
        if (actions.contains(AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE) && !guards.forensicAccountId().isBlank()) {
            ObjectNode share = statement(statements, "ShareIncidentSnapshotsWithTheForensicAccountOnly", snapshots,
                List.of(AwsAction.EC2_MODIFY_SNAPSHOT_ATTRIBUTE.id()));
            condition(share, "StringEquals", "ec2:Add/userId", guards.forensicAccountId());
            condition(share, "Null", "ec2:Add/group", "true");
            condition(share, "Null", "aws:ResourceTag/" + QUARANTINE_TAG, "false");
        }
    }

    /** The explicit denies: on the role itself, the hub and protected principals; by protecting tag; every escalation. */
    private static void denies(ArrayNode statements, MemberRoleGuards guards) {
        notAction(statements, "NeverChangeItselfTheHubOrProtectedPrincipals", guards.protectedIamResources(), READS);
        int n = 0;
        for (Map.Entry<String, String> tag : new TreeMap<>(guards.protectedTags()).entrySet()) {
            List<String> reads = new ArrayList<>(READS);
            reads.add("ec2:Describe*");
            condition(notAction(statements, "NeverChangeWhatIsTaggedProtected" + (n++ == 0 ? "" : String.valueOf(n)), List.of("*"),
                reads), "StringEquals", "aws:ResourceTag/" + tag.getKey(), tag.getValue());
        }
        // what an instance runs or where it listens: the responder only sets termination protection, shutdown behaviour and
        // volumes kept (EC2 names the attribute a request changes in ec2:Attribute)
        ObjectNode instance = statement(statements, "NeverChangeWhatAnInstanceRuns", "*",
            List.of(AwsAction.EC2_MODIFY_INSTANCE_ATTRIBUTE.id())).put("Effect", "Deny");
        condition(instance, "StringEqualsIgnoreCase", "ec2:Attribute", INSTANCE_ATTRIBUTES_NEVER_CHANGED.toArray(String[]::new));
        ObjectNode deny = statements.addObject().put("Sid", "NeverEscalate").put("Effect", "Deny");
        ESCALATIONS.forEach(deny.putArray("Action")::add);
        deny.put("Resource", "*");
        // release moves interfaces back to the groups recorded in this tag: once written it is never rewritten (isolation
        // leaves an existing record alone), so stolen credentials cannot point a release at groups of their choosing
        ObjectNode record = statements.addObject().put("Sid", "NeverRewriteTheRecordedSecurityGroups").put("Effect", "Deny");
        record.putArray("Action").add(AwsAction.EC2_CREATE_TAGS.id());
        record.put("Resource", "*");
        condition(record, "ForAnyValue:StringEquals", "aws:TagKeys", Ec2Compromise.ORIGINAL_GROUPS_TAG);
        condition(record, "Null", "aws:ResourceTag/" + Ec2Compromise.ORIGINAL_GROUPS_TAG, "false");
        if (!guards.protectedTags().isEmpty()) {
            ObjectNode tagging = statements.addObject().put("Sid", "NeverSetAProtectingTag").put("Effect", "Deny");
            tagging.putArray("Action").add(AwsAction.EC2_CREATE_TAGS.id());
            tagging.put("Resource", "*");
            condition(tagging, "ForAnyValue:StringEquals", "aws:TagKeys", new TreeMap<>(guards.protectedTags()).keySet()
                .toArray(String[]::new));
        }
    }

    private static ObjectNode notAction(ArrayNode statements, String sid, List<String> resources, List<String> except) {
        ObjectNode deny = statements.addObject().put("Sid", sid).put("Effect", "Deny");
        except.forEach(deny.putArray("NotAction")::add);
        resources(deny, resources);
        return deny;
    }

    private static ObjectNode condition(ObjectNode statement, String operator, String key, String... values) {
        ObjectNode block = statement.has("Condition") ? (ObjectNode) statement.get("Condition") : statement.putObject("Condition");
        ObjectNode op = block.has(operator) ? (ObjectNode) block.get(operator) : block.putObject(operator);
        if (values.length == 1) {
            op.put(key, values[0]);
        } else {
            ArrayNode list = op.putArray(key);
            for (String value : values) {
                list.add(value);
            }
        }
        return statement;
    }

    /** The policy of the responder's own identity: assume the role in any account, write and read evidence objects. */
    public static String responderIdentity(String partition, String roleName, String evidenceBucket) {
        return responderIdentity(partition, roleName, evidenceBucket, RunbookSettings.defaults());
    }

    /**
     * The policy of the responder's own identity for {@code settings}: assume the role in any account; write evidence
     * objects (with their Object Lock retention when one is configured); publish to the notification topic when one is.
     */
    public static String responderIdentity(String partition, String roleName, String evidenceBucket, RunbookSettings settings) {
        ObjectNode policy = MAPPER.createObjectNode().put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        statement(statements, "AssumeResponderRole", "arn:" + partition + ":iam::*:role/" + roleName, AwsAction.STS_ASSUME_ROLE);
        List<AwsAction> evidence = new ArrayList<>(List.of(AwsAction.S3_PUT_OBJECT, AwsAction.S3_PUT_OBJECT_TAGGING,
            AwsAction.S3_GET_OBJECT));
        if (settings.forensics().evidenceRetentionDays() > 0) {
            evidence.add(AwsAction.S3_PUT_OBJECT_RETENTION);
        }
        statement(statements, "WriteEvidence", "arn:" + partition + ":s3:::" + evidenceBucket + "/*",
            evidence.toArray(AwsAction[]::new));
        if (!settings.notificationTopicArn().isEmpty()) {
            statement(statements, "NotifyIncidents", settings.notificationTopicArn(), AwsAction.SNS_PUBLISH);
        }
        return write(policy);
    }

    private static void statement(ArrayNode statements, String sid, String resource, AwsAction... actions) {
        statement(statements, sid, resource, Arrays.stream(actions).map(AwsAction::id).toList());
    }

    private static ObjectNode statement(ArrayNode statements, String sid, String resource, Collection<String> actions) {
        return statement(statements, sid, List.of(resource), actions);
    }

    private static ObjectNode statement(ArrayNode statements, String sid, List<String> resources, Collection<String> actions) {
        ObjectNode statement = statements.addObject().put("Sid", sid).put("Effect", "Allow");
        ArrayNode list = statement.putArray("Action");
        actions.forEach(list::add);
        resources(statement, resources);
        return statement;
    }

    private static void resources(ObjectNode statement, List<String> resources) {
        if (resources.size() == 1) {
            statement.put("Resource", resources.get(0));
        } else {
            resources.forEach(statement.putArray("Resource")::add);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the policy", e);
        }
    }
}
