package io.trailhound.respond.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.alert.AlertJson;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.DenyPolicies;
import io.trailhound.serde.AvroJson;

/**
 * #15 with #14: the administrator roles the compromised identity's access summary lists as reachable get their older
 * sessions denied after the chain's own containment, each in its own account and always behind a person's approval.
 */
class ReachableAdminContainmentTest {

    private static final String DANA = "arn:aws:iam::111122223333:user/dana";
    private static final String LOCAL_ADMIN = "arn:aws:iam::111122223333:role/ops/PlatformAdmin";
    private static final String MEMBER_ADMIN = "arn:aws:iam::222233334444:role/OrganizationAccountAccessRole";
    private static final String LINKED = "arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport";
    private static final Instant EPOCH = Instant.parse("2026-11-27T23:00:00Z");

    @Test
    void shouldDenyOlderSessionsOfEachReachableAdminRoleAfterTheChainAndOnlyAfterApproval() {
        List<PlannedStep> plan = planner(Map.of()).plan(userAlert("a1", Severity.CRITICAL, LOCAL_ADMIN, MEMBER_ADMIN), TestAlerts.NOW);
        List<PlannedStep> admins = reachable(plan);
        assertEquals(List.of(LOCAL_ADMIN, MEMBER_ADMIN), admins.stream().map(s -> s.step().resource()).toList(), plan.toString());
        List<String> resources = plan.stream().map(s -> s.step().resource()).toList();
        assertTrue(resources.contains(DANA) && resources.lastIndexOf(DANA) < plan.indexOf(admins.get(0)),
            "after the chain root's own containment: " + resources);
        for (PlannedStep step : admins) {
            assertTrue(step.requiresApproval(), "never automatic, even for a CRITICAL incident: " + step);
            assertNull(step.skippedReason());
            assertEquals(ChainContainment.ID, step.runbook());
            assertEquals(AwsAction.IAM_PUT_ROLE_POLICY, step.step().action());
            assertEquals(DenyPolicies.REVOKE_OLDER_SESSIONS, step.step().parameters().get("PolicyName"));
            assertEquals(DenyPolicies.tokensIssuedBefore(TestAlerts.NOW), step.step().parameters().get("PolicyDocument"));
            assertTrue(step.approvalReason().startsWith("reachable from " + DANA + " as administrator per the access summary at "
                + "snapshot epoch " + EPOCH), step.approvalReason());
        }
        assertEquals("PlatformAdmin", admins.get(0).step().parameters().get("RoleName"), "the name without the path");
        assertEquals("111122223333", admins.get(0).accountId());
        assertEquals("222233334444", admins.get(1).accountId(), "a member account's role is contained in that account");
        assertTrue(admins.get(1).approvalReason().contains("in account 222233334444"), admins.get(1).approvalReason());
    }

    @Test
    void shouldSkipProtectedRolesAndLeaveOutServiceLinkedRolesAndRolesOfTheChain() {
        Alert alert = userAlert("b1", Severity.HIGH, LOCAL_ADMIN, LINKED, MEMBER_ADMIN);
        List<PlannedStep> plan = planner(Map.of(ResponderConfig.PROTECTED_ARNS_CONFIG, "arn:aws:iam::*:role/ops/*")).plan(alert,
            TestAlerts.NOW);
        List<PlannedStep> admins = reachable(plan);
        assertEquals(List.of(LOCAL_ADMIN, MEMBER_ADMIN), admins.stream().map(s -> s.step().resource()).toList(),
            "IAM cannot edit a service-linked role: no step");
        assertTrue(admins.get(0).skippedReason().startsWith("protected: " + LOCAL_ADMIN), admins.get(0).toString());
        assertNull(admins.get(1).skippedReason());

        // the admin role is itself a link of the chain: contained there (revoke-older-sessions), not twice
        Alert pivot = TestAlerts.roleSession(MEMBER_ADMIN, "attacker").setAlertId("b2").setRuleId("TH-CT-001")
            .setRuleKind(RuleKind.SIGNATURE).setSeverity(Severity.HIGH).setIncidentId("inc-b2")
            .setChain(List.of(link(DANA), link(MEMBER_ADMIN))).setEventIds(List.of("e-b2")).setRunbook("role-session-compromise")
            .setAccessSummary(summary(DANA, MEMBER_ADMIN)).build();
        List<PlannedStep> chained = planner(Map.of()).plan(pivot, TestAlerts.NOW);
        assertEquals(List.of(), reachable(chained));
        assertTrue(chained.stream().anyMatch(s -> s.step().resource().equals(MEMBER_ADMIN)
            && s.step().name().equals("revoke-older-sessions")), chained.toString());
    }

    @Test
    void shouldPlanNoSuchStepWithoutASummaryWithoutAdminRolesOrBelowTheThreshold() {
        Alert none = Alert.newBuilder(userAlert("c1", Severity.HIGH, LOCAL_ADMIN)).setAccessSummary(null).build();
        assertEquals(List.of(), reachable(planner(Map.of()).plan(none, TestAlerts.NOW)));
        assertTrue(planner(Map.of()).plan(none, TestAlerts.NOW).stream().anyMatch(s -> s.step().resource().equals(DANA)),
            "the chain is still contained");
        assertEquals(List.of(), reachable(planner(Map.of()).plan(userAlert("c2", Severity.HIGH), TestAlerts.NOW)));
        assertEquals(List.of(), reachable(planner(Map.of()).plan(userAlert("c3", Severity.MEDIUM, LOCAL_ADMIN), TestAlerts.NOW)),
            "below the incident containment threshold");
    }

    @Test
    void shouldPlanTheSameStepsFromTheJsonLineThatPlanReads() {
        Alert alert = userAlert("d1", Severity.HIGH, LOCAL_ADMIN, MEMBER_ADMIN);
        Alert offline = AlertJson.parse(AvroJson.write(alert));
        assertEquals(alert.getAccessSummary(), offline.getAccessSummary());
        List<PlannedStep> live = planner(Map.of()).plan(alert, TestAlerts.NOW);
        assertEquals(live, planner(Map.of()).plan(offline, TestAlerts.NOW));
        assertEquals(2, reachable(live).size());
    }

    private static List<PlannedStep> reachable(List<PlannedStep> plan) {
        return plan.stream().filter(s -> s.step().name().equals(ChainContainment.REACHABLE_ADMIN_STEP)).toList();
    }

    /** An alert about dana, the chain's root, whose access summary lists {@code adminRoles}. */
    private static Alert userAlert(String id, Severity severity, String... adminRoles) {
        return TestAlerts.iamUser("dana", "AKIADANA").setAlertId(id).setRuleId("TH-IAM-003").setRuleKind(RuleKind.SIGNATURE)
            .setSeverity(severity).setIncidentId("inc-" + id).setChain(List.of(link(DANA))).setEventIds(List.of("e-" + id))
            .setRunbook("iam-user-compromise").setAccessSummary(summary(DANA, adminRoles)).build();
    }

    private static AccessSummary summary(String principal, String... adminRoles) {
        return AccessSummary.newBuilder().setPrincipalArn(principal).setAdminEquivalent(adminRoles.length > 0)
            .setAdminConfidence(adminRoles.length > 0 ? "DEFINITE" : null).setReachableAccounts(List.of("111122223333", "222233334444"))
            .setReachableAccountCount(1).setRiskScore(60).setTopAdminRoles(List.of(adminRoles)).setSnapshotEpoch(EPOCH).build();
    }

    private static ChainLink link(String arn) {
        return ChainLink.newBuilder().setPrincipalArn(arn).setAccountId(arn.split(":")[4])
            .setAccessKeyId(arn.contains(":user/") ? "AKIADANA" : "ASIA1").build();
    }

    private static ResponsePlanner planner(Map<String, String> overrides) {
        return ResponsePlanner.from(new ResponderConfig(new HashMap<>(overrides)));
    }
}
