package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.TestAlerts;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/** The role-session runbook through the real SDK clients against a local IAM/EC2/STS endpoint. */
class RoleSessionResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    @Test
    void shouldRevokeOlderSessionsWithTheCurrentTime() {
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutRolePolicy", "");
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            List<ResponseAction> records = local.responder.respond(
                TestAlerts.roleSession("arn:aws:iam::111122223333:role/team/app", "build-42").build());
            assertEquals(ActionStatus.EXECUTED, records.get(0).getStatus());
        }
        AwsRequest put = AWS.verifyCalled("PutRolePolicy", 1).get(0);
        assertEquals("app", put.param("RoleName"));
        assertEquals("AWSRevokeOlderSessions", put.param("PolicyName"));
        assertTrue(put.param("PolicyDocument").contains("\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-28T00:10:01Z\"}"),
            put.param("PolicyDocument"));
        assertEquals(List.of("AssumeRole", "GetRolePolicy", "PutRolePolicy"), AWS.requests().stream().map(AwsRequest::action).toList());
    }

    @Test
    void shouldDenyOnlyTheInstanceThenRemoveItsProfile() {
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutRolePolicy", "");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeInstances", "<reservationSet><item><instancesSet><item>"
            + "<instanceId>i-0123456789abcdef0</instanceId><instanceState><code>16</code><name>running</name></instanceState>"
            + "</item></instancesSet></item></reservationSet>");
        AWS.stubQuery(AwsQueryService.EC2, "DescribeIamInstanceProfileAssociations", "<iamInstanceProfileAssociationSet><item>"
            + "<associationId>iip-assoc-9</associationId><instanceId>i-0123456789abcdef0</instanceId><iamInstanceProfile>"
            + "<arn>arn:aws:iam::111122223333:instance-profile/web</arn><id>AIPA</id></iamInstanceProfile>"
            + "<state>associated</state></item></iamInstanceProfileAssociationSet>");
        AWS.stubQuery(AwsQueryService.EC2, "DisassociateIamInstanceProfile", "<iamInstanceProfileAssociation>"
            + "<associationId>iip-assoc-9</associationId><state>disassociating</state></iamInstanceProfileAssociation>");
        Alert alert = TestAlerts.roleSession("arn:aws:iam::111122223333:role/web", "i-0123456789abcdef0")
            .setRuleId("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS").build();
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            List<ResponseAction> records = local.responder.respond(alert);
            assertTrue(records.stream().allMatch(r -> r.getStatus() == ActionStatus.EXECUTED), records.toString());
        }
        List<String> changes = AWS.requests().stream().map(AwsRequest::action)
            .filter(a -> List.of("PutRolePolicy", "DisassociateIamInstanceProfile").contains(a)).toList();
        assertEquals(List.of("PutRolePolicy", "DisassociateIamInstanceProfile"), changes, "deny first, then remove the profile");
        AwsRequest put = AWS.verifyCalled("PutRolePolicy");
        assertEquals("TrailhoundDenyInstance-i-0123456789abcdef0", put.param("PolicyName"));
        assertTrue(put.param("PolicyDocument").contains(
            "\"ec2:SourceInstanceARN\":\"arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0\""));
        assertTrue(!put.param("PolicyDocument").contains("TokenIssueTime"), "other instances sharing the role keep working");
        assertEquals("iip-assoc-9", AWS.verifyCalled("DisassociateIamInstanceProfile").param("AssociationId"));
        assertTrue(LocalResponder.POLICY_ACTIONS.containsAll(LocalResponder.calledActions(AWS)));
    }
}
