package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.AccessSummary;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.release.ReleasePlan;
import io.trailhound.respond.release.ReleaseRequests;
import io.trailhound.respond.runbook.DenyPolicies;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsRequest;

/**
 * #15: the administrator role a compromised role reaches in a member account, per its access summary, at the HTTP level: no
 * IAM change before a person approves; once approved, the older-sessions deny goes to that role through the member role of
 * its account; a release deletes exactly that policy.
 */
class ReachableAdminResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final String APP = "arn:aws:iam::111122223333:role/app-role";
    private static final String ADMIN = "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole";

    @Test
    void shouldDenyTheReachableAdminRolesOlderSessionsOnlyAfterApprovalAndReleaseIt() {
        AWS.stubQueryError(AwsQueryService.IAM, "GetRolePolicy", 404, "NoSuchEntity", "none");
        AWS.stubQuery(AwsQueryService.IAM, "PutRolePolicy", "");
        String document = DenyPolicies.tokensIssuedBefore(TestAlerts.NOW);
        try (LocalResponder local = new LocalResponder(AWS, null, Map.of())) {
            List<ResponseAction> records = local.responder.respond(alert());
            ResponseAction waiting = records.stream().filter(r -> r.getResource().equals(ADMIN)).findFirst()
                .orElseThrow(() -> new AssertionError(records.toString()));
            assertEquals(ActionStatus.AWAITING_APPROVAL, waiting.getStatus());
            assertTrue(waiting.getReason().startsWith("reachable from " + APP + " as administrator"), waiting.getReason());
            assertTrue(local.approvals.requests.stream().anyMatch(r -> r.getActionId().equals(waiting.getActionId())));
            assertEquals(List.of("app-role"), AWS.requests("PutRolePolicy").stream().map(r -> r.param("RoleName")).toList(),
                "only the chain's own role before the approval");

            List<ResponseAction> decided = local.responder.decide(ApprovalDecision.newBuilder().setRequestId("r")
                .setActionId(waiting.getActionId()).setDecision(Decision.APPROVED).setApprover("alice")
                .setDecidedAt(TestAlerts.NOW.plusSeconds(30)).build());
            assertEquals(ActionStatus.EXECUTED, decided.get(decided.size() - 1).getStatus(), decided.toString());
            AwsRequest put = AWS.requests("PutRolePolicy").stream().filter(r -> "OrganizationAccountAccessRole".equals(r.param("RoleName")))
                .findFirst().orElseThrow();
            assertEquals(DenyPolicies.REVOKE_OLDER_SESSIONS, put.param("PolicyName"));
            assertEquals(document, put.param("PolicyDocument"));
            assertTrue(document.contains("\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-28T00:10:01Z\"}"), document);
            assertTrue(AWS.requests("AssumeRole").stream().anyMatch(r -> r.param("RoleArn").equals(
                "arn:aws:iam::222233334444:role/TrailhoundResponder")), "through the member role of the admin role's account");

            // the release finds our policy still attached and deletes it
            AWS.stubQuery(AwsQueryService.IAM, "GetRolePolicy", Map.of("RoleName", "OrganizationAccountAccessRole"),
                "<RoleName>OrganizationAccountAccessRole</RoleName><PolicyName>AWSRevokeOlderSessions</PolicyName><PolicyDocument>"
                    + URLEncoder.encode(document, StandardCharsets.UTF_8) + "</PolicyDocument>");
            AWS.stubQuery(AwsQueryService.IAM, "DeleteRolePolicy", "");
            ReleaseRequests release = new ReleaseRequests(local.ledger, local.approvals, Duration.ofHours(1), "bob",
                Clock.fixed(TestAlerts.NOW.plusSeconds(60), ZoneOffset.UTC));
            ReleasePlan plan = release.plan(waiting.getIncidentId(), Optional.of(waiting.getActionId()));
            assertEquals(List.of("iam:DeleteRolePolicy " + ADMIN), plan.steps().stream()
                .map(s -> s.step().action().id() + " " + s.step().resource()).toList());
            release.request(plan);
            List<ResponseAction> released = local.responder.decide(ApprovalDecision.newBuilder().setRequestId("r2")
                .setActionId(plan.steps().get(0).actionId()).setDecision(Decision.APPROVED).setApprover("alice")
                .setDecidedAt(TestAlerts.NOW.plusSeconds(90)).build());
            assertEquals(ActionStatus.EXECUTED, released.get(released.size() - 1).getStatus(), released.toString());
        }
        AwsRequest delete = AWS.verifyCalled("DeleteRolePolicy");
        assertEquals("OrganizationAccountAccessRole", delete.param("RoleName"));
        assertEquals(DenyPolicies.REVOKE_OLDER_SESSIONS, delete.param("PolicyName"));
    }

    private static Alert alert() {
        ChainLink link = ChainLink.newBuilder().setPrincipalArn(APP).setAccountId("111122223333").setAccessKeyId("ASIAEXAMPLEKEY2")
            .build();
        return TestAlerts.roleSession(APP, "build-42").setAlertId("adm-1").setIncidentId("inc-adm").setSeverity(Severity.HIGH)
            .setChain(List.of(link)).setAccessSummary(AccessSummary.newBuilder().setPrincipalArn(APP).setAdminEquivalent(true)
                .setAdminConfidence("DEFINITE").setReachableAccounts(List.of("111122223333", "222233334444"))
                .setReachableAccountCount(1).setRiskScore(55).setTopAdminRoles(List.of(ADMIN))
                .setSnapshotEpoch(Instant.parse("2026-11-27T23:00:00Z")).build())
            .build();
    }
}
