package io.trailhound.respond.runbook;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every action the responder plans or calls, in IAM notation ({@code service:Operation}): the steps' actions, the AWS calls
 * executors make to read state first, and the responder's own pseudo-actions ({@code trailhound:*}) that call no AWS API.
 * One type shared by the runbooks, the executors, the IAM policy derivation and the Systems Manager export, so an action
 * without an executor does not compile and one without a policy entry fails a test (#14). Audit records, approval
 * requests and configuration keep the {@link #id()} text, e.g. {@code iam:UpdateAccessKey}.
 */
public enum AwsAction {
    IAM_LIST_ACCESS_KEYS("iam", "ListAccessKeys"),
    IAM_UPDATE_ACCESS_KEY("iam", "UpdateAccessKey"),
    IAM_DELETE_LOGIN_PROFILE("iam", "DeleteLoginProfile"),
    IAM_LIST_SSH_PUBLIC_KEYS("iam", "ListSSHPublicKeys"),
    IAM_UPDATE_SSH_PUBLIC_KEY("iam", "UpdateSSHPublicKey"),
    IAM_LIST_SERVICE_SPECIFIC_CREDENTIALS("iam", "ListServiceSpecificCredentials"),
    IAM_UPDATE_SERVICE_SPECIFIC_CREDENTIAL("iam", "UpdateServiceSpecificCredential"),
    IAM_LIST_SIGNING_CERTIFICATES("iam", "ListSigningCertificates"),
    IAM_UPDATE_SIGNING_CERTIFICATE("iam", "UpdateSigningCertificate"),
    IAM_GET_USER_POLICY("iam", "GetUserPolicy"),
    IAM_PUT_USER_POLICY("iam", "PutUserPolicy"),
    IAM_GET_ROLE_POLICY("iam", "GetRolePolicy"),
    IAM_PUT_ROLE_POLICY("iam", "PutRolePolicy"),
    IAM_DELETE_USER_POLICY("iam", "DeleteUserPolicy"),
    IAM_DELETE_ROLE_POLICY("iam", "DeleteRolePolicy"),
    IAM_PASS_ROLE("iam", "PassRole"),
    IAM_GET_ROLE("iam", "GetRole"),
    IAM_UPDATE_ASSUME_ROLE_POLICY("iam", "UpdateAssumeRolePolicy"),

    EC2_DESCRIBE_INSTANCES("ec2", "DescribeInstances"),
    EC2_DESCRIBE_INSTANCE_ATTRIBUTE("ec2", "DescribeInstanceAttribute"),
    EC2_MODIFY_INSTANCE_ATTRIBUTE("ec2", "ModifyInstanceAttribute"),
    EC2_DESCRIBE_IAM_INSTANCE_PROFILE_ASSOCIATIONS("ec2", "DescribeIamInstanceProfileAssociations"),
    EC2_DISASSOCIATE_IAM_INSTANCE_PROFILE("ec2", "DisassociateIamInstanceProfile"),
    EC2_REPLACE_IAM_INSTANCE_PROFILE_ASSOCIATION("ec2", "ReplaceIamInstanceProfileAssociation"),
    EC2_ASSOCIATE_IAM_INSTANCE_PROFILE("ec2", "AssociateIamInstanceProfile"),
    EC2_GET_CONSOLE_OUTPUT("ec2", "GetConsoleOutput"),
    EC2_GET_CONSOLE_SCREENSHOT("ec2", "GetConsoleScreenshot"),
    EC2_DESCRIBE_SNAPSHOTS("ec2", "DescribeSnapshots"),
    EC2_CREATE_SNAPSHOTS("ec2", "CreateSnapshots"),
    EC2_DESCRIBE_SNAPSHOT_ATTRIBUTE("ec2", "DescribeSnapshotAttribute"),
    EC2_MODIFY_SNAPSHOT_ATTRIBUTE("ec2", "ModifySnapshotAttribute"),
    EC2_DESCRIBE_IMAGE_ATTRIBUTE("ec2", "DescribeImageAttribute"),
    EC2_MODIFY_IMAGE_ATTRIBUTE("ec2", "ModifyImageAttribute"),
    EC2_CREATE_TAGS("ec2", "CreateTags"),
    EC2_DESCRIBE_SECURITY_GROUPS("ec2", "DescribeSecurityGroups"),
    EC2_CREATE_SECURITY_GROUP("ec2", "CreateSecurityGroup"),
    EC2_AUTHORIZE_SECURITY_GROUP_INGRESS("ec2", "AuthorizeSecurityGroupIngress"),
    EC2_REVOKE_SECURITY_GROUP_EGRESS("ec2", "RevokeSecurityGroupEgress"),
    EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE("ec2", "ModifyNetworkInterfaceAttribute"),
    EC2_STOP_INSTANCES("ec2", "StopInstances"),
    EC2_TERMINATE_INSTANCES("ec2", "TerminateInstances"),

    SSM_LIST_COMMANDS("ssm", "ListCommands"),
    SSM_SEND_COMMAND("ssm", "SendCommand"),

    AUTOSCALING_DESCRIBE_AUTO_SCALING_INSTANCES("autoscaling", "DescribeAutoScalingInstances"),
    AUTOSCALING_SET_INSTANCE_PROTECTION("autoscaling", "SetInstanceProtection"),
    AUTOSCALING_ENTER_STANDBY("autoscaling", "EnterStandby"),
    AUTOSCALING_DETACH_INSTANCES("autoscaling", "DetachInstances"),
    ELB_DESCRIBE_TARGET_GROUPS("elasticloadbalancing", "DescribeTargetGroups"),
    ELB_DESCRIBE_TARGET_HEALTH("elasticloadbalancing", "DescribeTargetHealth"),
    ELB_DEREGISTER_TARGETS("elasticloadbalancing", "DeregisterTargets"),

    S3_GET_BUCKET_POLICY("s3", "GetBucketPolicy"),
    S3_PUT_BUCKET_POLICY("s3", "PutBucketPolicy"),
    S3_DELETE_BUCKET_POLICY("s3", "DeleteBucketPolicy"),
    S3_GET_BUCKET_ACL("s3", "GetBucketAcl"),
    S3_PUT_BUCKET_ACL("s3", "PutBucketAcl"),
    // S3 authorizes GetPublicAccessBlock and PutPublicAccessBlock under these names
    S3_GET_BUCKET_PUBLIC_ACCESS_BLOCK("s3", "GetBucketPublicAccessBlock"),
    S3_PUT_BUCKET_PUBLIC_ACCESS_BLOCK("s3", "PutBucketPublicAccessBlock"),
    S3_GET_OBJECT("s3", "GetObject"),
    S3_PUT_OBJECT("s3", "PutObject"),
    S3_PUT_OBJECT_TAGGING("s3", "PutObjectTagging"),
    S3_PUT_OBJECT_RETENTION("s3", "PutObjectRetention"),

    SNS_PUBLISH("sns", "Publish"),
    STS_ASSUME_ROLE("sts", "AssumeRole"),

    /** The notification when no topic or webhook is configured: the audit record is the only record. */
    TRAILHOUND_RECORD_ONLY(AwsAction.TRAILHOUND, "RecordOnly"),
    /** The incident summary posted to the configured webhook. */
    TRAILHOUND_POST_WEBHOOK(AwsAction.TRAILHOUND, "PostWebhook"),
    /** A case automation must not touch, handed to a person. */
    TRAILHOUND_ESCALATE_TO_HUMAN(AwsAction.TRAILHOUND, "EscalateToHuman");

    private static final String TRAILHOUND = "trailhound";
    private static final Map<String, AwsAction> BY_ID = Arrays.stream(values())
        .collect(Collectors.toUnmodifiableMap(AwsAction::id, Function.identity()));

    private final String service;
    private final String operation;

    AwsAction(String service, String operation) {
        this.service = service;
        this.operation = operation;
    }

    /** The IAM notation, e.g. {@code iam:UpdateAccessKey}: what audit records, approvals and configuration carry. */
    public String id() {
        return service + ":" + operation;
    }

    /** The service prefix, e.g. {@code iam}, {@code elasticloadbalancing}. */
    public String service() {
        return service;
    }

    /** The API operation, e.g. {@code UpdateAccessKey}. */
    public String operation() {
        return operation;
    }

    /** Whether this is an AWS API call (not one of the responder's own {@code trailhound:*} actions). */
    public boolean isAws() {
        return !TRAILHOUND.equals(service);
    }

    /** The action with IAM notation {@code id}, if the responder knows it. */
    public static Optional<AwsAction> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The action with IAM notation {@code id}, e.g. read back from an audit record. */
    public static AwsAction of(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown action '" + id + "'"));
    }

    /** The IAM notation, so logs and messages read as before. */
    @Override
    public String toString() {
        return id();
    }
}
