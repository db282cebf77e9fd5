package io.trailhound.respond.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.trailhound.respond.release.ReleasePlanner;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.RunbookScenarios;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.Step;

/**
 * Typed actions (#14): every action a built-in runbook can plan has an executor, and every AWS action among them is allowed
 * by the IAM policy derived for the same settings (the member-account role; {@code sns:Publish} by the responder's own
 * identity, which publishes notifications).
 */
class RunbookActionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldHaveAnExecutorForEveryActionARunbookCanPlan() {
        for (RunbookSettings settings : RunbookScenarios.settings()) {
            StepExecutors executors = StepExecutors.standard(settings, Map.of("trailhound:protected", "true"));
            for (Step step : RunbookScenarios.everyPlannedStep(settings)) {
                assertTrue(executors.supports(step.action()), step.name() + " plans " + step.action() + ", which has no executor");
            }
        }
    }

    @Test
    void shouldAllowEveryAwsActionARunbookCanPlanInTheDerivedPolicy() throws Exception {
        for (RunbookSettings settings : RunbookScenarios.settings()) {
            StepExecutors executors = StepExecutors.standard(settings, Map.of());
            Set<String> role = allowed(ResponderPolicy.targetAccountRole(executors));
            Set<String> identity = allowed(ResponderPolicy.responderIdentity("aws", "TrailhoundResponder", "ev", settings));
            for (Step step : RunbookScenarios.everyPlannedStep(settings)) {
                if (step.action() == AwsAction.SNS_PUBLISH) {
                    assertTrue(identity.contains(step.action().id()), "the responder's identity may not publish: " + identity);
                } else if (step.action().isAws()) {
                    assertTrue(role.contains(step.action().id()), step.name() + " plans " + step.action() + ", not allowed by " + role);
                }
            }
        }
    }

    @Test
    void shouldReachEveryExecutableActionWithTheScenarios() {
        Set<AwsAction> planned = EnumSet.noneOf(AwsAction.class);
        for (RunbookSettings settings : RunbookScenarios.settings()) {
            RunbookScenarios.everyPlannedStep(settings).forEach(step -> planned.add(step.action()));
        }
        // release steps (#14) are planned from audit records, not runbooks: ReleasePlannerTest covers those
        planned.addAll(ReleasePlanner.ACTIONS);
        StepExecutors executors = StepExecutors.standard(RunbookScenarios.settings().get(1), Map.of());
        Set<AwsAction> executable = EnumSet.noneOf(AwsAction.class);
        for (AwsAction action : AwsAction.values()) {
            if (executors.supports(action)) {
                executable.add(action);
            }
        }
        // else the checks above would prove less than they seem
        assertEquals(executable, planned, "the scenarios plan every action an executor exists for");
    }

    @Test
    void shouldKeepTheAuditTextOfEveryAction() {
        Set<String> ids = new TreeSet<>();
        for (AwsAction action : AwsAction.values()) {
            assertEquals(action, AwsAction.of(action.id()));
            assertTrue(action.id().matches("[a-z0-9]+:[A-Z][A-Za-z0-9]+"), action.id());
            ids.add(action.id());
        }
        assertEquals(AwsAction.values().length, ids.size(), "ids are unique");
        assertEquals("iam:UpdateAccessKey", AwsAction.IAM_UPDATE_ACCESS_KEY.id());
        assertEquals("elasticloadbalancing:DeregisterTargets", AwsAction.ELB_DEREGISTER_TARGETS.toString());
        assertEquals("trailhound:RecordOnly", AwsAction.TRAILHOUND_RECORD_ONLY.id());
    }

    private static Set<String> allowed(String policy) throws Exception {
        Set<String> allowed = new TreeSet<>();
        for (JsonNode statement : JSON.readTree(policy).get("Statement")) {
            if ("Allow".equals(statement.get("Effect").asText())) {
                statement.get("Action").forEach(action -> allowed.add(action.asText()));
            }
        }
        return allowed;
    }
}
