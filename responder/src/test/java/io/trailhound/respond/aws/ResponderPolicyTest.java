package io.trailhound.respond.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Runbook;
import io.trailhound.respond.runbook.RunbookSelector;
import io.trailhound.respond.runbook.RunbookSettings;
import io.trailhound.respond.runbook.Step;

class ResponderPolicyTest {

    private static final RunbookSettings EVERYTHING = new RunbookSettings("ev", "allow", "quarantine", false, "", true);
    private final StepExecutors executors = StepExecutors.standard(EVERYTHING, Map.of("k", "v"));

    @Test
    void shouldAllowEveryActionTheRunbooksExecuteAndNoWildcard() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(ResponderPolicy.targetAccountRole(executors));
        Set<String> allowed = new TreeSet<>();
        policy.get("Statement").forEach(s -> {
            if ("Allow".equals(s.get("Effect").asText())) {
                s.get("Action").forEach(a -> allowed.add(a.asText()));
            }
        });
        assertEquals(executors.awsActions(), allowed, "the policy is exactly what the executors declare");
        assertTrue(allowed.stream().noneMatch(a -> a.contains("*")), allowed.toString());
        for (String planned : executablePlannedActions()) {
            assertTrue(allowed.contains(planned), planned + " is planned and executed but not allowed");
        }
    }

    @Test
    void shouldLetTheResponderOnlyAssumeItsRoleAndWriteEvidence() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(ResponderPolicy.responderIdentity("aws", "TrailhoundResponder", "ev"));
        assertEquals("sts:AssumeRole", policy.at("/Statement/0/Action/0").asText());
        assertEquals("arn:aws:iam::*:role/TrailhoundResponder", policy.at("/Statement/0/Resource").asText());
        assertEquals("arn:aws:s3:::ev/*", policy.at("/Statement/1/Resource").asText());
        assertEquals(2, policy.get("Statement").size());
    }

    /** Every AWS action a step of a built-in runbook can carry that the responder executes (not just records). */
    private Set<String> executablePlannedActions() {
        List<Alert> alerts = new ArrayList<>(List.of(TestAlerts.iamUser().build(),
            TestAlerts.roleSession("arn:aws:iam::111122223333:role/app", "build").build(),
            TestAlerts.roleSession("arn:aws:iam::111122223333:role/web", "i-0123456789abcdef0").build(),
            TestAlerts.instance("i-0123456789abcdef0").setEntities(Entities.newBuilder().setInstanceIds(List.of("i-0123456789abcdef0"))
                .setRoleArns(List.of("arn:aws:iam::111122223333:role/web")).setBuckets(List.of("b")).build()).build()));
        Set<String> actions = new TreeSet<>();
        for (Runbook runbook : RunbookSelector.builtIn(EVERYTHING)) {
            for (Alert alert : alerts) {
                runbook.plan(alert, TestAlerts.NOW).stream().map(Step::action)
                    .filter(a -> a.isAws() && executors.supports(a)).map(AwsAction::id).forEach(actions::add);
            }
        }
        assertTrue(actions.containsAll(List.of("iam:UpdateAccessKey", "ec2:ModifyNetworkInterfaceAttribute", "ec2:StopInstances")));
        return actions;
    }
}
