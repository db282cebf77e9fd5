package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.deploy.PolicyEvaluator.Decision;
import io.trailhound.deploy.PolicyEvaluator.Request;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.aws.MemberRoleGuards;
import io.trailhound.respond.aws.ResponderPolicy;
import io.trailhound.respond.aws.StepExecutors;
import io.trailhound.respond.runbook.AwsAction;

/**
 * The member-account role has the least power, not just the least actions (#19 item 3): evaluated with
 * {@link PolicyEvaluator} over the documents in iam/ (policy and permissions boundary, the prod overlay's configuration)
 * and over the documents derived for a configuration that turns every optional step on, it cannot raise its own power or
 * reach another role, destructive instance calls need the quarantine tag the responder sets, and every call the executors
 * make is still allowed on an ordinary target.
 */
class MemberRoleLeastPowerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "444455556666";
    private static final String IAM = "arn:aws:iam::" + ACCOUNT + ":";
    private static final String INSTANCE = "arn:aws:ec2:us-east-1:" + ACCOUNT + ":instance/i-0123456789abcdef0";
    private static final String SNAPSHOT = "arn:aws:ec2:us-east-1::snapshot/snap-0123";
    private static final String FORENSIC_ACCOUNT = "999900001111";
    private static final String MEMORY_DOCUMENT = "LiME-Capture";
    private static final String INCIDENT = "trailhound:incident";

    private static ResponderConfig prod;
    private static PolicyEvaluator deployed;
    private static ResponderConfig everything;
    private static PolicyEvaluator derivedForEverything;

    @BeforeAll
    static void load() throws IOException {
        Map<String, Object> settings = RepositoryFiles.properties(RepositoryFiles.path("k8s/overlays/prod/config/responder.properties"));
        prod = ServiceConfigs.responder("k8s/overlays/prod", settings);
        deployed = new PolicyEvaluator(List.of(file("member-account-role-policy.json")), file("member-account-role-boundary.json"));
        Map<String, Object> all = new HashMap<>(settings);
        all.put(ResponderConfig.FORENSIC_ACCOUNT_CONFIG, FORENSIC_ACCOUNT);
        all.put(ResponderConfig.QUARANTINE_PROFILE_CONFIG, IAM + "instance-profile/trailhound/quarantine");
        all.put(ResponderConfig.MEMORY_CAPTURE_DOCUMENT_CONFIG, MEMORY_DOCUMENT);
        all.put(ResponderConfig.TERMINATE_CONFIG, "true");
        all.put(ResponderConfig.NOTIFICATION_TOPIC_CONFIG, "arn:aws:sns:us-east-1:111122223333:incidents");
        everything = ServiceConfigs.responder("every optional step", all);
        StepExecutors executors = executors(everything);
        derivedForEverything = new PolicyEvaluator(
            List.of(JSON.readTree(ResponderPolicy.targetAccountRole(executors, MemberRoleGuards.of(everything)))),
            JSON.readTree(ResponderPolicy.targetAccountBoundary(executors, MemberRoleGuards.of(everything))));
    }

    private static JsonNode file(String name) throws IOException {
        return JSON.readTree(RepositoryFiles.text("iam/" + name));
    }

    private static StepExecutors executors(ResponderConfig config) {
        return StepExecutors.standard(config.runbookSettings(), config.protectedInstanceTags());
    }

    private static List<PolicyEvaluator> both() {
        return List.of(deployed, derivedForEverything);
    }

    /** The principals the role must never change: itself (any path), the hub identity, protected ones by ARN, path or tag. */
    private static List<Request> guarded(String action) {
        String hub = prod.getString(ResponderConfig.IDENTITY_ARN_CONFIG);
        return List.of(Request.of(action, IAM + "role/TrailhoundResponder"),
            Request.of(action, IAM + "role/security/TrailhoundResponder"),
            Request.of(action, hub),
            Request.of(action, IAM + "role/BreakGlassAdmin"),
            Request.of(action, IAM + "role/OrganizationAccountAccessRole"),
            Request.of(action, IAM + "role/trailhound/Anything"),
            Request.of(action, IAM + "user/trailhound/break-glass"),
            Request.of(action, IAM + "role/Admin").tagged("trailhound:protected", "true"),
            Request.of(action, IAM + "user/root-ops").tagged("trailhound:protected", "true"));
    }

    @Test
    void shouldNeverWriteToItselfTheHubOrAProtectedPrincipal() {
        List<String> writes = List.of("iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
            "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
            "iam:TagRole", "iam:UntagRole", "iam:DeleteRole", "iam:PassRole", "sts:AssumeRole", "iam:PutUserPolicy",
            "iam:AttachUserPolicy", "iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:CreateLoginProfile", "iam:DeleteLoginProfile");
        for (PolicyEvaluator role : both()) {
            for (String action : writes) {
                for (Request request : guarded(action)) {
                    Request toEc2 = request.with("iam:PassedToService", "ec2.amazonaws.com");
                    assertEquals(Decision.EXPLICIT_DENY, role.evaluate(toEc2), action + " on " + request);
                }
            }
            assertTrue(role.allows(Request.of("iam:GetRolePolicy", IAM + "role/TrailhoundResponder")), "reading itself is harmless");
        }
    }

    @Test
    void shouldNotBeAbleToChangeOrRemoveItsBoundary() {
        String boundary = "arn:aws:iam::" + ACCOUNT + ":policy/trailhound/" + MemberRoleGuards.BOUNDARY_POLICY_NAME;
        for (PolicyEvaluator role : both()) {
            for (String action : List.of("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion",
                "iam:DeletePolicy", "iam:TagPolicy")) {
                assertEquals(Decision.EXPLICIT_DENY, role.evaluate(Request.of(action, boundary)), action);
            }
            for (String action : List.of("iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary")) {
                assertEquals(Decision.EXPLICIT_DENY, role.evaluate(Request.of(action, IAM + "role/TrailhoundResponder")
                    .with("iam:PermissionsBoundary", IAM + "policy/Open")), action);
                assertEquals(Decision.EXPLICIT_DENY, role.evaluate(Request.of(action, IAM + "role/app")), action + " on any role");
            }
        }
    }

    @Test
    void shouldNotBeAdministratorEquivalent() {
        for (PolicyEvaluator role : both()) {
            for (Request request : List.of(Request.of("iam:CreateUser", IAM + "user/backdoor"),
                Request.of("iam:CreateRole", IAM + "role/backdoor"),
                Request.of("iam:CreateAccessKey", IAM + "user/alice"),
                Request.of("iam:CreateLoginProfile", IAM + "user/alice"),
                Request.of("iam:UpdateLoginProfile", IAM + "user/alice"),
                Request.of("iam:AttachRolePolicy", IAM + "role/app").with("iam:PolicyARN", "arn:aws:iam::aws:policy/AdministratorAccess"),
                Request.of("iam:AttachUserPolicy", IAM + "user/alice"),
                Request.of("iam:CreatePolicyVersion", IAM + "policy/app"),
                Request.of("iam:AddUserToGroup", IAM + "group/admins"),
                Request.of("iam:PutGroupPolicy", IAM + "group/admins"),
                Request.of("iam:CreateOpenIDConnectProvider", IAM + "oidc-provider/evil.example"),
                Request.of("ec2:RunInstances", INSTANCE),
                Request.of("ec2:DeleteTags", INSTANCE),
                Request.of("ssm:StartSession", INSTANCE),
                Request.of("ec2-instance-connect:SendSSHPublicKey", INSTANCE))) {
                assertEquals(Decision.EXPLICIT_DENY, role.evaluate(request), request.toString());
            }
            for (Request request : List.of(Request.of("s3:GetObject", "arn:aws:s3:::payroll/2026.csv"),
                Request.of("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:db"),
                Request.of("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:f"))) {
                assertFalse(role.allows(request), request + " is not the responder's to do");
            }
        }
    }

    @Test
    void shouldNeverChangeWhatAnInstanceRuns() {
        for (PolicyEvaluator role : both()) {
            for (String attribute : List.of("userData", "UserData", "instanceType", "kernel", "groupSet", "sourceDestCheck")) {
                assertEquals(Decision.EXPLICIT_DENY, role.evaluate(Request.of("ec2:ModifyInstanceAttribute", INSTANCE)
                    .with("ec2:Attribute", attribute)), attribute);
            }
            assertTrue(role.allows(Request.of("ec2:ModifyInstanceAttribute", INSTANCE).with("ec2:Attribute", "disableApiTermination")));
        }
    }

    @Test
    void shouldNotReachAnyOtherRole() {
        for (PolicyEvaluator role : both()) {
            for (String target : List.of(IAM + "role/app", IAM + "role/Admin", "arn:aws:iam::777788889999:role/Anything")) {
                for (String assume : List.of("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML")) {
                    assertEquals(Decision.EXPLICIT_DENY, role.evaluate(Request.of(assume, target)), assume + " " + target);
                }
                for (String service : List.of("lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "glue.amazonaws.com",
                    "cloudformation.amazonaws.com", "ssm.amazonaws.com")) {
                    assertFalse(role.allows(Request.of("iam:PassRole", target).with("iam:PassedToService", service)),
                        "passes " + target + " to " + service);
                }
                assertFalse(role.allows(Request.of("iam:PassRole", target)), "PassRole without a service");
            }
            assertTrue(role.allows(Request.of("iam:PassRole", IAM + "role/web").with("iam:PassedToService", "ec2.amazonaws.com")),
                "an instance's own profile role can be given back to EC2 (release)");
        }
    }

    @Test
    void shouldStopTerminateOrRecredentialOnlyInstancesQuarantinedForAnIncident() {
        Map<PolicyEvaluator, Set<String>> roles = Map.of(deployed, executors(prod).awsActions(),
            derivedForEverything, executors(everything).awsActions());
        assertTrue(executors(everything).awsActions().containsAll(ResponderPolicy.QUARANTINED_INSTANCE_ACTIONS.stream()
            .map(AwsAction::id).toList()));
        for (Map.Entry<PolicyEvaluator, Set<String>> entry : roles.entrySet()) {
            PolicyEvaluator role = entry.getKey();
            for (AwsAction action : ResponderPolicy.QUARANTINED_INSTANCE_ACTIONS) {
                if (!entry.getValue().contains(action.id())) {
                    assertFalse(role.allows(Request.of(action.id(), INSTANCE).tagged(INCIDENT, "inc-1")), action + " is not called");
                    continue;
                }
                Request request = Request.of(action.id(), INSTANCE);
                assertEquals(Decision.IMPLICIT_DENY, role.evaluate(request), action + " on an instance we never tagged");
                assertEquals(Decision.IMPLICIT_DENY, role.evaluate(request.tagged("Name", "web")), action + " with another tag");
                assertTrue(role.allows(request.tagged(INCIDENT, "inc-1")), action + " on a quarantined instance");
                assertEquals(Decision.EXPLICIT_DENY, role.evaluate(request.tagged(INCIDENT, "inc-1")
                    .tagged("trailhound:protected", "true")), action + " on a protected instance, tagged or not");
            }
        }
    }

    @Test
    void shouldTagOnlyWithItsOwnKeysAndNeverProtectOrUnprotect() {
        for (PolicyEvaluator role : both()) {
            Request tag = Request.of("ec2:CreateTags", INSTANCE);
            assertTrue(role.allows(tag.with("aws:TagKeys", INCIDENT, "trailhound:original-security-groups")));
            assertTrue(role.allows(tag.with("aws:TagKeys", INCIDENT, "trailhound:stopped-by")));
            assertFalse(role.allows(tag.with("aws:TagKeys", INCIDENT, "Name")), "a key not ours");
            assertFalse(role.allows(tag), "a request without tag keys");
            assertEquals(Decision.EXPLICIT_DENY, role.evaluate(tag.with("aws:TagKeys", "trailhound:protected")));
            assertEquals(Decision.EXPLICIT_DENY, role.evaluate(tag.with("aws:TagKeys", INCIDENT).tagged("trailhound:protected", "true")),
                "a protected instance cannot be marked for termination");
            assertEquals(Decision.EXPLICIT_DENY, role.evaluate(Request.of("ec2:DeleteTags", INSTANCE).with("aws:TagKeys", INCIDENT)));
            Request record = tag.with("aws:TagKeys", "trailhound:original-security-groups", INCIDENT);
            assertTrue(role.allows(record), "the first record of the original groups");
            assertEquals(Decision.EXPLICIT_DENY, role.evaluate(record.tagged("trailhound:original-security-groups", "eni-1=sg-web")),
                "a release must find the groups isolation recorded, not ones written later");
            assertTrue(role.allows(tag.with("aws:TagKeys", INCIDENT, "trailhound:stopped-by")
                .tagged("trailhound:original-security-groups", "eni-1=sg-web")), "other tags on an isolated instance");
            assertFalse(role.allows(Request.of("ec2:CreateTags", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":security-group/sg-1")
                .with("aws:TagKeys", INCIDENT)), "only instances and the snapshots it takes");
            assertFalse(role.allows(Request.of("ec2:CreateTags", SNAPSHOT).with("aws:TagKeys", INCIDENT)), "an existing snapshot");
        }
    }

    @Test
    void shouldOnlyRemoveSharingOrShareIncidentSnapshotsWithTheForensicAccount() {
        for (PolicyEvaluator role : both()) {
            for (String action : List.of("ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute")) {
                Request modify = Request.of(action, action.contains("Image") ? "arn:aws:ec2:us-east-1::image/ami-1" : SNAPSHOT);
                assertTrue(role.allows(modify.with("ec2:Remove/group", "all")), action + " removing sharing");
                assertFalse(role.allows(modify.with("ec2:Add/group", "all")), action + " making it public");
                assertFalse(role.allows(modify.with("ec2:Add/userId", "666677778888").tagged(INCIDENT, "inc-1")),
                    action + " to a stranger");
            }
        }
        Request share = Request.of("ec2:ModifySnapshotAttribute", SNAPSHOT).with("ec2:Add/userId", FORENSIC_ACCOUNT);
        assertTrue(derivedForEverything.allows(share.tagged(INCIDENT, "inc-1")), "the incident's snapshot to the forensic account");
        assertFalse(derivedForEverything.allows(share), "a snapshot that is not the incident's");
        assertFalse(deployed.allows(share.tagged(INCIDENT, "inc-1")), "prod configures no forensic account: no sharing at all");
    }

    @Test
    void shouldRunOnlyTheConfiguredMemoryCaptureDocument() {
        assertTrue(derivedForEverything.allows(Request.of("ssm:SendCommand", INSTANCE)));
        assertTrue(derivedForEverything.allows(Request.of("ssm:SendCommand", "arn:aws:ssm:us-east-1:" + ACCOUNT + ":document/"
            + MEMORY_DOCUMENT)));
        assertFalse(derivedForEverything.allows(Request.of("ssm:SendCommand", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript")));
        assertFalse(deployed.allows(Request.of("ssm:SendCommand", INSTANCE)), "prod configures no memory capture");
    }

    @Test
    void shouldStayBoundedWhenSomeoneAttachesAdministratorAccess() throws IOException {
        JsonNode admin = JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":"
            + "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        PolicyEvaluator widened = new PolicyEvaluator(List.of(file("member-account-role-policy.json"), admin),
            file("member-account-role-boundary.json"));
        assertFalse(widened.allows(Request.of("s3:GetObject", "arn:aws:s3:::payroll/2026.csv")), "outside the boundary");
        assertFalse(widened.allows(Request.of("ec2:TerminateInstances", INSTANCE)), "the boundary's quarantine condition holds");
        assertEquals(Decision.EXPLICIT_DENY, widened.evaluate(Request.of("iam:DeleteRolePermissionsBoundary",
            IAM + "role/TrailhoundResponder")));
        assertEquals(Decision.EXPLICIT_DENY, widened.evaluate(Request.of("iam:CreateUser", IAM + "user/backdoor")));
        assertTrue(widened.allows(Request.of("iam:UpdateAccessKey", IAM + "user/alice")), "containment still works");
        PolicyEvaluator unbounded = new PolicyEvaluator(List.of(admin), null);
        assertTrue(unbounded.allows(Request.of("s3:GetObject", "arn:aws:s3:::payroll/2026.csv")), "the check can fail");
    }

    @Test
    void shouldAllowEveryCallTheExecutorsMakeOnAnOrdinaryTarget() {
        check(deployed, executors(prod).awsActions(), false);
        check(derivedForEverything, executors(everything).awsActions(), true);
        assertTrue(executors(everything).awsActions().containsAll(List.of("ssm:SendCommand", "ec2:ReplaceIamInstanceProfileAssociation",
            "ec2:TerminateInstances", "ec2:ModifySnapshotAttribute")), "the scenario turns every optional step on");
    }

    private static void check(PolicyEvaluator role, Set<String> actions, boolean forensicAccount) {
        Map<String, List<Request>> calls = executorCalls(forensicAccount);
        Set<String> missing = new TreeSet<>(actions);
        missing.removeAll(calls.keySet());
        assertTrue(missing.isEmpty(), "add the request the executor makes for " + missing + " to executorCalls");
        for (String action : actions) {
            for (Request request : calls.get(action)) {
                assertEquals(Decision.ALLOW, role.evaluate(request), "the responder calls " + request);
            }
        }
    }

    /**
     * The requests each executor makes, modelled on the code (resource, tags on the resource, request keys): instances
     * are tagged {@value #INCIDENT} once isolation recorded their groups, or the unauthorized-resource runbook tagged them.
     */
    private static Map<String, List<Request>> executorCalls(boolean forensicAccount) {
        Map<String, List<Request>> calls = new LinkedHashMap<>();
        String user = IAM + "user/alice";
        String role = IAM + "role/app";
        for (String action : List.of("iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:DeleteLoginProfile", "iam:ListSSHPublicKeys",
            "iam:UpdateSSHPublicKey", "iam:ListServiceSpecificCredentials", "iam:UpdateServiceSpecificCredential",
            "iam:ListSigningCertificates", "iam:UpdateSigningCertificate", "iam:GetUserPolicy", "iam:PutUserPolicy",
            "iam:DeleteUserPolicy")) {
            calls.put(action, List.of(Request.of(action, user)));
        }
        for (String action : List.of("iam:GetRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRole",
            "iam:UpdateAssumeRolePolicy")) {
            calls.put(action, List.of(Request.of(action, role)));
        }
        calls.put("iam:PassRole", List.of(Request.of("iam:PassRole", IAM + "role/web").with("iam:PassedToService", "ec2.amazonaws.com"),
            Request.of("iam:PassRole", IAM + "role/trailhound-quarantine").with("iam:PassedToService", "ec2.amazonaws.com")));
        Request quarantined = Request.of("", INSTANCE).tagged(INCIDENT, "inc-1");
        for (String action : List.of("ec2:DescribeInstances", "ec2:DescribeIamInstanceProfileAssociations", "ec2:DescribeSnapshots",
            "ec2:DescribeSecurityGroups", "ssm:ListCommands", "autoscaling:DescribeAutoScalingInstances",
            "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth")) {
            calls.put(action, List.of(Request.of(action, "*")));
        }
        // before isolation: evidence and preservation run on an instance not yet tagged
        calls.put("ec2:ModifyInstanceAttribute", List.of(Request.of("ec2:ModifyInstanceAttribute", INSTANCE)
                .with("ec2:Attribute", "disableApiTermination"),
            Request.of("ec2:ModifyInstanceAttribute", INSTANCE).with("ec2:Attribute", "instanceInitiatedShutdownBehavior"),
            Request.of("ec2:ModifyInstanceAttribute", INSTANCE).with("ec2:Attribute", "blockDeviceMapping")));
        for (String action : List.of("ec2:DescribeInstanceAttribute", "ec2:GetConsoleOutput",
            "ec2:GetConsoleScreenshot", "ec2:CreateSnapshots", "ec2:DisassociateIamInstanceProfile", "ec2:ModifyNetworkInterfaceAttribute",
            "autoscaling:SetInstanceProtection", "autoscaling:EnterStandby")) {
            calls.put(action, List.of(Request.of(action, INSTANCE)));
        }
        for (String action : List.of("ec2:TerminateInstances", "ec2:StopInstances", "ec2:AssociateIamInstanceProfile",
            "ec2:ReplaceIamInstanceProfileAssociation")) {
            calls.put(action, List.of(new Request(action, quarantined.resource(), quarantined.context())));
        }
        calls.put("ec2:CreateTags", List.of(
            Request.of("ec2:CreateTags", INSTANCE).with("aws:TagKeys", "trailhound:original-security-groups", INCIDENT),
            Request.of("ec2:CreateTags", INSTANCE).with("aws:TagKeys", INCIDENT, "trailhound:stopped-by"),
            Request.of("ec2:CreateTags", SNAPSHOT).with("ec2:CreateAction", "CreateSnapshots")
                .with("aws:TagKeys", INCIDENT, "trailhound:instance", "Name")));
        String group = "arn:aws:ec2:us-east-1:" + ACCOUNT + ":security-group/sg-1";
        calls.put("ec2:CreateSecurityGroup", List.of(Request.of("ec2:CreateSecurityGroup", group),
            Request.of("ec2:CreateSecurityGroup", "arn:aws:ec2:us-east-1:" + ACCOUNT + ":vpc/vpc-1")));
        calls.put("ec2:AuthorizeSecurityGroupIngress", List.of(Request.of("ec2:AuthorizeSecurityGroupIngress", group)));
        calls.put("ec2:RevokeSecurityGroupEgress", List.of(Request.of("ec2:RevokeSecurityGroupEgress", group)));
        calls.put("ec2:DescribeSnapshotAttribute", List.of(Request.of("ec2:DescribeSnapshotAttribute", SNAPSHOT)));
        calls.put("ec2:DescribeImageAttribute", List.of(Request.of("ec2:DescribeImageAttribute", "arn:aws:ec2:us-east-1::image/ami-1")));
        calls.put("ec2:ModifyImageAttribute", List.of(Request.of("ec2:ModifyImageAttribute", "arn:aws:ec2:us-east-1::image/ami-1")
            .with("ec2:Remove/group", "all").with("ec2:Remove/userId", "666677778888")));
        List<Request> snapshots = new ArrayList<>(List.of(Request.of("ec2:ModifySnapshotAttribute", SNAPSHOT)
            .with("ec2:Remove/group", "all")));
        if (forensicAccount) {
            snapshots.add(Request.of("ec2:ModifySnapshotAttribute", SNAPSHOT).with("ec2:Add/userId", FORENSIC_ACCOUNT)
                .tagged(INCIDENT, "i"));
        }
        calls.put("ec2:ModifySnapshotAttribute", snapshots);
        calls.put("ssm:SendCommand", List.of(Request.of("ssm:SendCommand", INSTANCE),
            Request.of("ssm:SendCommand", "arn:aws:ssm:us-east-1:" + ACCOUNT + ":document/" + MEMORY_DOCUMENT)));
        calls.put("autoscaling:DetachInstances", List.of(Request.of("autoscaling:DetachInstances",
            "arn:aws:autoscaling:us-east-1:" + ACCOUNT + ":autoScalingGroup:uuid:autoScalingGroupName/web")));
        calls.put("elasticloadbalancing:DeregisterTargets", List.of(Request.of("elasticloadbalancing:DeregisterTargets",
            "arn:aws:elasticloadbalancing:us-east-1:" + ACCOUNT + ":targetgroup/web/0123")));
        for (String action : List.of("s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:GetBucketAcl",
            "s3:PutBucketAcl", "s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock")) {
            calls.put(action, List.of(Request.of(action, "arn:aws:s3:::customer-data")));
        }
        return calls;
    }
}
