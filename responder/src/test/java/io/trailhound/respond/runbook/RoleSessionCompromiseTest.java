package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.respond.TestAlerts;

class RoleSessionCompromiseTest {

    private final RoleSessionCompromise runbook = new RoleSessionCompromise(RunbookSettings.defaults());

    @Test
    void shouldRevokeOlderSessionsOfTheRole() {
        List<Step> steps = runbook.plan(TestAlerts.roleSession("arn:aws:iam::111122223333:role/team/app", "build-42").build(),
            TestAlerts.NOW);
        assertEquals(List.of("iam:PutRolePolicy", "trailhound:RecordOnly"), steps.stream().map(s -> s.action().id()).toList());
        Step revoke = steps.get(0);
        assertEquals("arn:aws:iam::111122223333:role/team/app", revoke.resource());
        assertEquals("app", revoke.parameters().get("RoleName"));
        assertEquals("AWSRevokeOlderSessions", revoke.parameters().get("PolicyName"));
        assertTrue(revoke.parameters().get("PolicyDocument").contains("\"aws:TokenIssueTime\":\"2026-11-28T00:10:01Z\""));
    }

    @Test
    void shouldDenyOnlyTheOneInstanceWhenTheseAreInstanceCredentials() {
        Alert alert = TestAlerts.roleSession("arn:aws:iam::111122223333:role/web", "i-0123456789abcdef0")
            .setRuleId("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS").build();
        List<Step> steps = runbook.plan(alert, TestAlerts.NOW);
        assertEquals(List.of("ec2:DescribeIamInstanceProfileAssociations", "iam:PutRolePolicy", "ec2:DisassociateIamInstanceProfile",
            "trailhound:RecordOnly"), steps.stream().map(s -> s.action().id()).toList());
        Step deny = steps.get(1);
        String instanceArn = "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0";
        assertTrue(deny.parameters().get("PolicyDocument").contains("\"ec2:SourceInstanceARN\":\"" + instanceArn + "\""));
        assertEquals("TrailhoundDenyInstance-i-0123456789abcdef0", deny.parameters().get("PolicyName"));
        assertTrue(steps.stream().noneMatch(s -> s.parameters().containsKey("TokenIssueTimeBefore")),
            "other instances sharing the role keep working");
    }

    @Test
    void shouldRefuseServiceLinkedRoles() {
        List<Step> steps = runbook.plan(TestAlerts.roleSession(
            "arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
            "ElasticLoadBalancing").build(), TestAlerts.NOW);
        assertEquals(1, steps.size());
        assertEquals(AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN, steps.get(0).action());
        assertTrue(steps.get(0).parameters().get("reason").contains("service-linked"));
    }

    @Test
    void shouldSendIdentityCenterRolesToAHuman() {
        List<Step> steps = runbook.plan(TestAlerts.roleSession(
            "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef", "alice").build(),
            TestAlerts.NOW);
        assertEquals(List.of(AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN), steps.stream().map(Step::action).toList());
        assertTrue(steps.get(0).parameters().get("reason").contains("Identity Center"));
    }
}
