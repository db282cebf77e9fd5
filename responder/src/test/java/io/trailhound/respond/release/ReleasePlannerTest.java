package io.trailhound.respond.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.ActionPhase;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.aws.ReleaseExecutor;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Step;

/** The release planner (#14): which containment steps are released, in which order, and what is kept with its reason. */
class ReleasePlannerTest {

    private static final String INSTANCE = "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc";
    private static final String USER = "arn:aws:iam::111122223333:user/mallory";
    private static final String ROLE = "arn:aws:iam::111122223333:role/web";
    private static final String BUCKET = "arn:aws:s3:::customer-data";
    private static final String DENY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"*\"]}]}";

    private final List<ResponseAction> records = new ArrayList<>();
    private int second;

    @Test
    void shouldReleaseReversibleContainmentInTheReverseOrder() {
        containment();
        ReleasePlan plan = ReleasePlanner.plan("inc-1", records, Optional.empty());

        assertEquals(List.of("s3:PutBucketPolicy", "ec2:AssociateIamInstanceProfile", "iam:DeleteRolePolicy",
            "ec2:ModifyNetworkInterfaceAttribute", "iam:DeleteUserPolicy", "iam:UpdateAccessKey"),
            plan.steps().stream().map(s -> s.step().action().id()).toList(), "the reverse of containment");
        for (PlannedStep step : plan.steps()) {
            assertTrue(ReleasePlanner.ACTIONS.contains(step.step().action()), step.step().action() + " is not a declared release action");
            assertTrue(step.requiresApproval() && step.step().isRelease(), step.toString());
            assertEquals("inc-1|release|" + step.step().parameters().get(Step.RELEASES), step.actionId());
            assertEquals(ReleasePlanner.RUNBOOK, step.runbook());
        }
        assertEquals("AKIA1", param(plan, AwsAction.IAM_UPDATE_ACCESS_KEY, ReleaseExecutor.ACCESS_KEY_IDS),
            "only the key we deactivated");
        assertEquals("eni-1=sg-web+sg-ssh", param(plan, AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE, ReleaseExecutor.ORIGINAL_GROUPS));
        assertEquals("sg-allow,sg-quarantine", param(plan, AwsAction.EC2_MODIFY_NETWORK_INTERFACE_ATTRIBUTE,
            ReleaseExecutor.ISOLATION_GROUPS), "one release per instance, from either isolation group");
        assertEquals(DENY, param(plan, AwsAction.IAM_DELETE_ROLE_POLICY, ReleaseExecutor.OUR_DOCUMENT));
        assertEquals("{\"old\":1}", param(plan, AwsAction.S3_PUT_BUCKET_POLICY, ReleaseExecutor.PREVIOUS_DOCUMENT));
        assertEquals("arn:aws:iam::111122223333:instance-profile/web",
            param(plan, AwsAction.EC2_ASSOCIATE_IAM_INSTANCE_PROFILE, ReleaseExecutor.PROFILE));
    }

    @Test
    void shouldKeepEvidencePreservationAndWhatChangedNothingWithTheReason() {
        containment();
        ReleasePlan plan = ReleasePlanner.plan("inc-1", records, Optional.empty());

        assertEquals("evidence is never touched", kept(plan, "ec2:CreateSnapshots"));
        assertEquals("evidence is never touched", kept(plan, "s3:GetBucketPolicy"));
        assertTrue(kept(plan, "ec2:ModifyInstanceAttribute").startsWith("preservation"), kept(plan, "ec2:ModifyInstanceAttribute"));
        assertTrue(kept(plan, "iam:DeleteLoginProfile").contains("cannot be given back"));
        assertTrue(kept(plan, "autoscaling:DetachInstances").startsWith("not executed (AWAITING_APPROVAL)"));
        assertTrue(kept(plan, "iam:PutRolePolicy").startsWith("changed nothing"), "a deny already attached is not ours to remove");
        assertTrue(plan.kept().stream().noneMatch(k -> k.awsAction().equals("ec2:CreateTags") && k.reason().contains("released")));
    }

    @Test
    void shouldReleaseOneStepByItsActionIdAndNotRequestAReleaseTwice() {
        containment();
        String keys = "inc-1|iam:UpdateAccessKey|" + USER + "|deactivate-access-keys";
        ReleasePlan one = ReleasePlanner.plan("inc-1", records, Optional.of(keys));
        assertEquals(1, one.steps().size());
        assertEquals(keys, one.steps().get(0).step().parameters().get(Step.RELEASES));
        assertEquals(one.steps(), ReleasePlanner.plan("inc-1", records, Optional.of("inc-1|release|" + keys)).steps());

        records.add(record("inc-1|release|" + keys, "release-deactivate-access-keys", ActionPhase.CONTAINMENT,
            "iam:UpdateAccessKey", USER, ActionStatus.AWAITING_APPROVAL, null, null).setRunbook(ReleasePlanner.RUNBOOK).build());
        ReleasePlan again = ReleasePlanner.plan("inc-1", records, Optional.empty());
        assertTrue(again.steps().stream().noneMatch(s -> s.step().action() == AwsAction.IAM_UPDATE_ACCESS_KEY));
        assertEquals("release already awaiting approval", kept(again, "iam:UpdateAccessKey"));

        records.add(record("inc-1|release|" + keys, "release-deactivate-access-keys", ActionPhase.CONTAINMENT,
            "iam:UpdateAccessKey", USER, ActionStatus.SKIPPED, null, null).setRunbook(ReleasePlanner.RUNBOOK).build());
        assertTrue(ReleasePlanner.plan("inc-1", records, Optional.empty()).steps().stream()
            .anyMatch(s -> s.step().action() == AwsAction.IAM_UPDATE_ACCESS_KEY), "a refused release may be asked for again");
    }

    @Test
    void shouldNotReleaseRecordsWithoutWhatAReleaseNeedsOrOfAnotherIncident() {
        add("inc-1|iam:PutUserPolicy|" + USER + "|revoke-older-sessions", "revoke-older-sessions", ActionPhase.CONTAINMENT,
            "iam:PutUserPolicy", USER, ActionStatus.EXECUTED, "{}", "{\"undo\":[\"DeleteUserPolicy AWSRevokeOlderSessions\"]}");
        records.add(record("inc-2|iam:UpdateAccessKey|" + USER + "|deactivate-access-keys", "deactivate-access-keys",
            ActionPhase.CONTAINMENT, "iam:UpdateAccessKey", USER, ActionStatus.EXECUTED, "{}",
            "{\"accessKeys\":[\"AKIA9\"],\"userName\":[\"mallory\"]}").setIncidentId("inc-2").build());
        ReleasePlan plan = ReleasePlanner.plan("inc-1", records, Optional.empty());
        assertTrue(plan.steps().isEmpty(), plan.toString());
        assertTrue(kept(plan, "iam:PutUserPolicy").startsWith("recorded before release existed"));
        assertEquals(1, plan.kept().size());
    }

    /** The records of an incident that contained a user, a role's instance credentials, an instance and a bucket. */
    private void containment() {
        add("inc-1|ec2:CreateSnapshots|" + INSTANCE + "|snapshot-volumes", "snapshot-volumes", ActionPhase.EVIDENCE,
            "ec2:CreateSnapshots", INSTANCE, ActionStatus.EXECUTED, "{\"snapshots\":[\"snap-1\"]}", null);
        add("inc-1|s3:GetBucketPolicy|" + BUCKET + "|record-bucket-policy", "record-bucket-policy", ActionPhase.EVIDENCE,
            "s3:GetBucketPolicy", BUCKET, ActionStatus.EXECUTED, "{}", null);
        add("inc-1|iam:UpdateAccessKey|" + USER + "|deactivate-access-keys", "deactivate-access-keys", ActionPhase.CONTAINMENT,
            "iam:UpdateAccessKey", USER, ActionStatus.EXECUTED, "{\"accessKeys\":[\"AKIA1\"]}",
            "{\"accessKeys\":[\"AKIA1\"],\"undo\":[\"UpdateAccessKey Status=Active\"],\"userName\":[\"mallory\"]}");
        add("inc-1|iam:PutUserPolicy|" + USER + "|revoke-older-sessions", "revoke-older-sessions", ActionPhase.CONTAINMENT,
            "iam:PutUserPolicy", USER, ActionStatus.EXECUTED, "{}", rollbackOfDeny("mallory", "AWSRevokeOlderSessions"));
        add("inc-1|iam:DeleteLoginProfile|" + USER + "|delete-login-profile", "delete-login-profile", ActionPhase.CONTAINMENT,
            "iam:DeleteLoginProfile", USER, ActionStatus.EXECUTED, "{}", "{\"undo\":[\"CreateLoginProfile\"]}");
        add("inc-1|ec2:ModifyInstanceAttribute|" + INSTANCE + "|enable-termination-protection", "enable-termination-protection",
            ActionPhase.CONTAINMENT, "ec2:ModifyInstanceAttribute", INSTANCE, ActionStatus.EXECUTED, null,
            "{\"undo\":[\"ModifyInstanceAttribute DisableApiTermination=false\"]}");
        add("inc-1|ec2:CreateTags|" + INSTANCE + "|record-original-security-groups", "record-original-security-groups",
            ActionPhase.CONTAINMENT, "ec2:CreateTags", INSTANCE, ActionStatus.EXECUTED, "{\"originalGroups\":[\"eni-1=sg-web+sg-ssh\"]}",
            null);
        add("inc-1|ec2:ModifyNetworkInterfaceAttribute|" + INSTANCE + "|isolate-allow-all-group", "isolate-allow-all-group",
            ActionPhase.CONTAINMENT, "ec2:ModifyNetworkInterfaceAttribute", INSTANCE, ActionStatus.EXECUTED,
            "{\"networkInterfaces\":[\"eni-1\"],\"group\":[\"sg-allow\"]}", "{\"undo\":[\"x\"],\"instanceId\":[\"i-0abc\"]}");
        add("inc-1|ec2:ModifyNetworkInterfaceAttribute|" + INSTANCE + "|isolate-quarantine-group", "isolate-quarantine-group",
            ActionPhase.CONTAINMENT, "ec2:ModifyNetworkInterfaceAttribute", INSTANCE, ActionStatus.EXECUTED,
            "{\"networkInterfaces\":[\"eni-1\"],\"group\":[\"sg-quarantine\"]}", "{\"undo\":[\"x\"],\"instanceId\":[\"i-0abc\"]}");
        add("inc-1|iam:PutRolePolicy|" + ROLE + "|deny-instance-credentials", "deny-instance-credentials", ActionPhase.CONTAINMENT,
            "iam:PutRolePolicy", ROLE, ActionStatus.EXECUTED, "{}", rollbackOfDeny("web", "TrailhoundDenyInstance-i-0abc"));
        add("inc-1|iam:PutRolePolicy|" + ROLE + "|revoke-older-sessions", "revoke-older-sessions", ActionPhase.CONTAINMENT,
            "iam:PutRolePolicy", ROLE, ActionStatus.EXECUTED, null, null);
        add("inc-1|ec2:DisassociateIamInstanceProfile|" + INSTANCE + "|disassociate-instance-profile", "disassociate-instance-profile",
            ActionPhase.CONTAINMENT, "ec2:DisassociateIamInstanceProfile", INSTANCE, ActionStatus.EXECUTED, "{}",
            "{\"instanceProfiles\":[\"arn:aws:iam::111122223333:instance-profile/web\"],\"instanceId\":[\"i-0abc\"]}");
        add("inc-1|autoscaling:DetachInstances|" + INSTANCE + "|detach-from-auto-scaling-groups", "detach-from-auto-scaling-groups",
            ActionPhase.CONTAINMENT, "autoscaling:DetachInstances", INSTANCE, ActionStatus.AWAITING_APPROVAL, "{}", null);
        add("inc-1|s3:PutBucketPolicy|" + BUCKET + "|revert-bucket-policy", "revert-bucket-policy", ActionPhase.CONTAINMENT,
            "s3:PutBucketPolicy", BUCKET, ActionStatus.EXECUTED, "{}",
            "{\"policy\":[\"{\\\"old\\\":1}\"],\"policyAfter\":[\"{\\\"new\\\":1}\"],\"bucket\":[\"customer-data\"]}");
    }

    private static String rollbackOfDeny(String principal, String policy) {
        return "{\"principalName\":[\"" + principal + "\"],\"policyName\":[\"" + policy + "\"],\"document\":["
            + "\"" + DENY.replace("\"", "\\\"") + "\"],\"previousDocument\":[]}";
    }

    private void add(String actionId, String step, ActionPhase phase, String action, String resource, ActionStatus status,
                     String details, String rollback) {
        records.add(record(actionId, step, phase, action, resource, status, details, rollback).build());
    }

    private ResponseAction.Builder record(String actionId, String step, ActionPhase phase, String action, String resource,
                                          ActionStatus status, String details, String rollback) {
        return ResponseAction.newBuilder().setActionId(actionId).setIncidentId("inc-1").setAlertId("alert-1").setRunbook("ec2-compromise")
            .setStep(step).setPhase(phase).setAwsAction(action).setResource(resource).setAccountId("111122223333")
            .setRegion("us-east-1").setStatus(status).setDestructive(false).setDryRun(false).setDetails(details).setRollback(rollback)
            .setTime(Instant.parse("2026-11-28T00:00:00Z").plusSeconds(second++)).setActor(TestAlerts.class.getSimpleName());
    }

    private static String param(ReleasePlan plan, AwsAction action, String name) {
        return plan.steps().stream().filter(s -> s.step().action() == action).findFirst().orElseThrow().step().parameters().get(name);
    }

    private static String kept(ReleasePlan plan, String action) {
        return plan.kept().stream().filter(k -> k.awsAction().equals(action)).map(ReleasePlan.Kept::reason).findFirst()
            .orElseThrow(() -> new AssertionError(action + " not kept: " + plan.kept()));
    }
}
