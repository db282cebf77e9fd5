package io.trailhound.respond.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.engine.AuditRecords;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Phase;

class ResponsePlannerTest {

    @Test
    void shouldPlanEveryStepInOrderWithIdempotencyKeys() {
        List<PlannedStep> plan = planner(Map.of()).plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        assertEquals(8, plan.size());
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i + 1, plan.get(i).order());
            assertNull(plan.get(i).skippedReason());
            assertEquals("inc-1", plan.get(i).incidentId());
        }
        assertEquals("inc-1|iam:UpdateAccessKey|arn:aws:iam::111122223333:user/mallory|deactivate-access-keys", plan.get(1).actionId());
        assertEquals(plan.size(), plan.stream().map(PlannedStep::actionId).distinct().count(), "keys are unique within a runbook");
        assertEquals(plan, planner(Map.of()).plan(TestAlerts.iamUser().build(), TestAlerts.NOW), "planning is deterministic");
    }

    @Test
    void shouldSkipEveryStepOfAReplayedAlert() {
        List<PlannedStep> plan = planner(Map.of()).plan(TestAlerts.iamUser().setMode(Mode.REPLAY).build(), TestAlerts.NOW);
        assertFalse(plan.isEmpty());
        assertTrue(plan.stream().allMatch(p -> p.skippedReason() != null && p.skippedReason().contains("REPLAY")));
    }

    @Test
    void shouldSkipEveryStepOfAStaleAlert() {
        List<PlannedStep> plan = planner(Map.of(ResponderConfig.STALENESS_CONFIG, "30000"))
            .plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        assertTrue(plan.stream().allMatch(p -> p.skippedReason() != null && p.skippedReason().contains("stale")));
    }

    @Test
    void shouldNeverContainAProtectedPrincipal() {
        List<PlannedStep> plan = planner(Map.of(ResponderConfig.PROTECTED_ARNS_CONFIG, "arn:aws:iam::*:user/mall*"))
            .plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        assertTrue(plan.stream().filter(p -> p.step().service().equals("iam")).allMatch(PlannedStep::skipped));
        assertTrue(plan.stream().filter(p -> p.step().phase() == Phase.CONTAINMENT).allMatch(PlannedStep::skipped));
    }

    @Test
    void shouldNeverContainTheRespondersOwnRole() {
        List<PlannedStep> plan = planner(Map.of()).plan(
            TestAlerts.roleSession("arn:aws:iam::111122223333:role/TrailhoundResponder", "responder").build(), TestAlerts.NOW);
        assertTrue(plan.get(0).skippedReason().contains("protected"), plan.get(0).skippedReason());
    }

    @Test
    void shouldRequireApprovalForDestructiveAndConfiguredActions() {
        List<PlannedStep> plan = planner(Map.of(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile"))
            .plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        PlannedStep login = plan.stream().filter(p -> p.step().action() == AwsAction.IAM_DELETE_LOGIN_PROFILE).findFirst().orElseThrow();
        assertTrue(login.requiresApproval() && login.step().requiresApproval());
        List<PlannedStep> ec2 = planner(Map.of()).plan(TestAlerts.instance("i-0123456789abcdef0").build(), TestAlerts.NOW);
        assertTrue(ec2.stream().filter(p -> p.step().destructive()).allMatch(p -> "destructive action".equals(p.approvalReason())));
        assertTrue(ec2.stream().anyMatch(p -> p.step().destructive()));
    }

    @Test
    void shouldPutEverythingOnApprovalOnceTheCircuitBreakerTrips() {
        ResponsePlanner planner = planner(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "8"));
        List<PlannedStep> first = planner.plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        assertTrue(first.stream().noneMatch(PlannedStep::requiresApproval), "6 containment actions fit under 8");
        List<PlannedStep> second = planner.plan(TestAlerts.iamUser("trent", "AKIAEXAMPLEKEY9").setAlertId("a2").setIncidentId("inc-2")
            .build(), TestAlerts.NOW);
        List<PlannedStep> gated = second.stream().filter(PlannedStep::requiresApproval).toList();
        assertEquals(4, gated.size(), "actions 9..12 wait for approval");
        assertTrue(gated.get(0).approvalReason().contains("circuit breaker"));
        List<PlannedStep> otherAccount = planner.plan(TestAlerts.iamUser().setAccountId("444455556666").build(), TestAlerts.NOW);
        assertTrue(otherAccount.stream().noneMatch(PlannedStep::requiresApproval));
    }

    @Test
    void shouldNotPlanAStepAgainThatAnotherIncidentKeyPlannedWithinTheWindow() {
        // #16: a finding and a CloudTrail alert on the same user, joined only in the incident stage, carry two incident keys
        ResponsePlanner planner = planner(Map.of());
        List<PlannedStep> first = planner.plan(TestAlerts.iamUser().setAlertId("a1").setIncidentId("key-1").build(), TestAlerts.NOW);
        assertFalse(first.isEmpty());
        List<PlannedStep> again = planner.plan(TestAlerts.iamUser().setAlertId("a2").setIncidentId("key-2").build(),
            TestAlerts.NOW.plusSeconds(60));
        assertEquals(List.of("deny-tokens-issued-before-now", "notify"), again.stream().map(p -> p.step().name()).toList(),
            "each step once, under the first key, but the session deny, whose cutoff moves to now, and the notification");
        List<PlannedStep> redelivered = planner.plan(TestAlerts.iamUser().setAlertId("a1").setIncidentId("key-1").build(),
            TestAlerts.NOW.plusSeconds(61));
        assertEquals(first.stream().map(PlannedStep::actionId).toList(), redelivered.stream().map(PlannedStep::actionId).toList(),
            "under its own key the alert plans as before (the ledger settles repeats)");
        List<PlannedStep> later = planner.plan(TestAlerts.iamUser().setAlertId("a3").setIncidentId("key-3").build(),
            TestAlerts.NOW.plus(ResponsePlanner.ACROSS_KEYS_WINDOW).plusSeconds(120));
        assertFalse(later.isEmpty(), "after the window a new incident acts again");
    }

    @Test
    void shouldNotCountSettledStepsOfARedeliveredAlertAgainstTheCircuitBreaker() {
        ResponsePlanner planner = planner(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "8"));
        planner.plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        planner.plan(TestAlerts.iamUser().build(), TestAlerts.NOW, actionId -> true);
        planner.plan(TestAlerts.iamUser().build(), TestAlerts.NOW, actionId -> true);
        List<PlannedStep> other = planner.plan(TestAlerts.iamUser("trent", "AKIAEXAMPLEKEY9").setAlertId("a3").setIncidentId("inc-3")
            .build(), TestAlerts.NOW);
        assertEquals(4, other.stream().filter(PlannedStep::requiresApproval).count(), "only the 6 first actions were counted");
    }

    @Test
    void shouldRebuildTheCircuitBreakerFromTheAuditRecordsAfterARestart() {
        List<PlannedStep> first = planner(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "8")).plan(TestAlerts.iamUser().build(),
            TestAlerts.NOW);
        List<ResponseAction> audit = first.stream().map(step -> AuditRecords.of(step, ActionStatus.EXECUTED, false, "responder",
            TestAlerts.NOW.plusMillis(100)).build()).toList();

        ResponsePlanner restarted = planner(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "8"));
        restarted.restoreCircuitBreaker(audit);
        List<PlannedStep> second = restarted.plan(TestAlerts.iamUser().setAlertId("a2").setIncidentId("inc-2").build(),
            TestAlerts.NOW.plusSeconds(1));
        assertEquals(4, second.stream().filter(PlannedStep::requiresApproval).count(), "the 6 actions before the restart count");

        ResponseAction refused = AuditRecords.of(second.stream().filter(PlannedStep::requiresApproval).findFirst().orElseThrow(),
            ActionStatus.AWAITING_APPROVAL, false, "responder", TestAlerts.NOW.plusSeconds(1)).build();
        ResponsePlanner again = planner(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "8"));
        again.restoreCircuitBreaker(List.of(refused));
        List<PlannedStep> third = again.plan(TestAlerts.iamUser().setAlertId("a3").setIncidentId("inc-3").build(),
            TestAlerts.NOW.plusSeconds(70));
        assertEquals(6, third.stream().filter(PlannedStep::requiresApproval).count(), "a tripped breaker stays open after a restart");
        assertTrue(planner(Map.of(ResponderConfig.BREAKER_MAX_CONFIG, "8")).plan(TestAlerts.iamUser().setAlertId("a3").build(),
            TestAlerts.NOW.plusSeconds(70)).stream().noneMatch(PlannedStep::requiresApproval), "without the records it would be closed");
    }

    @Test
    void shouldPlanNothingWithoutARunbook() {
        assertTrue(planner(Map.of()).plan(TestAlerts.iamUser().setRuleId("TH-UNKNOWN").setEntities(
            Entities.newBuilder().build()).build(), TestAlerts.NOW).isEmpty());
    }

    /** Issue #13: anomaly alone never contains. */
    @Test
    void shouldSendEveryContainmentStepOfANoveltyOnlyAlertToApproval() {
        List<PlannedStep> plan = planner(Map.of()).plan(firstRole("inc-13a").build(), TestAlerts.NOW);
        List<PlannedStep> containment = plan.stream().filter(p -> p.step().phase() == Phase.CONTAINMENT).toList();
        assertFalse(containment.isEmpty());
        assertTrue(containment.stream().allMatch(p -> p.requiresApproval() && p.approvalReason().startsWith("uncorroborated anomaly")),
            containment.toString());
        assertTrue(plan.stream().filter(p -> p.step().phase() != Phase.CONTAINMENT).noneMatch(p -> p.approvalReason() != null
            && p.approvalReason().startsWith("uncorroborated")), "evidence and notification are not containment");
    }

    @Test
    void shouldContainANoveltyAutomaticallyOnceAnotherRuleCorroboratesItsIncident() {
        ResponsePlanner planner = planner(Map.of());
        planner.plan(TestAlerts.iamUser().setRuleId("TH-CT-001").setRuleKind(RuleKind.SIGNATURE).setSeverity(Severity.HIGH)
            .setIncidentId("inc-13b").setEventIds(List.of("e-stop")).build(), TestAlerts.NOW);
        List<PlannedStep> plan = planner.plan(firstRole("inc-13b").build(), TestAlerts.NOW);
        assertTrue(plan.stream().filter(p -> p.step().phase() == Phase.CONTAINMENT).noneMatch(PlannedStep::requiresApproval),
            plan.toString());
        // another incident is not corroborated by it, nor is a novelty by a second rule on its own event
        ResponsePlanner fresh = planner(Map.of());
        fresh.plan(firstRole("inc-13f").setRuleId("TH-BL-005").setAlertId("hop").setEventIds(List.of("e-1")).build(), TestAlerts.NOW);
        assertTrue(fresh.plan(firstRole("inc-13f").setEventIds(List.of("e-1")).build(), TestAlerts.NOW).stream()
            .filter(p -> p.step().phase() == Phase.CONTAINMENT).allMatch(PlannedStep::requiresApproval), "one event, one behaviour");
        assertTrue(planner.plan(firstRole("inc-13c").setAlertId("other").build(), TestAlerts.NOW).stream()
            .filter(p -> p.step().phase() == Phase.CONTAINMENT).allMatch(PlannedStep::requiresApproval));
    }

    @Test
    void shouldContainAGuardDutyBaselineOrSignatureAlertAutomaticallyAndHonourThePolicySetting() {
        List<PlannedStep> finding = planner(Map.of()).plan(firstRole("inc-13d").setFindingIds(List.of("gd-1")).build(),
            TestAlerts.NOW);
        assertTrue(finding.stream().filter(p -> p.step().phase() == Phase.CONTAINMENT).noneMatch(PlannedStep::requiresApproval));
        List<PlannedStep> always = planner(Map.of(ResponderConfig.CONTAINMENT_AUTOMATIC_CONFIG, "always"))
            .plan(firstRole("inc-13e").build(), TestAlerts.NOW);
        assertTrue(always.stream().filter(p -> p.step().phase() == Phase.CONTAINMENT).noneMatch(PlannedStep::requiresApproval));
        List<PlannedStep> never = planner(Map.of(ResponderConfig.CONTAINMENT_AUTOMATIC_CONFIG, "never"))
            .plan(TestAlerts.iamUser().setRuleKind(RuleKind.SIGNATURE).build(), TestAlerts.NOW);
        assertTrue(never.stream().filter(p -> p.step().phase() == Phase.CONTAINMENT)
            .allMatch(p -> p.requiresApproval() && p.approvalReason().contains("never")));
    }

    /** A MEDIUM baseline alert (a first role) about a role session, with the role runbook. */
    private static io.trailhound.avro.Alert.Builder firstRole(String incidentId) {
        return TestAlerts.roleSession("arn:aws:iam::111122223333:role/app-role", "dev").setRuleId("TH-BL-004")
            .setRuleKind(RuleKind.BASELINE).setSeverity(Severity.MEDIUM).setRunbook("role-session-compromise")
            .setIncidentId(incidentId);
    }

    static ResponsePlanner planner(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>(overrides);
        return ResponsePlanner.from(new ResponderConfig(props));
    }
}
