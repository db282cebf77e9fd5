package io.trailhound.respond.safety;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Escalation;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.Step;

class ProtectedResourcesTest {

    private final ProtectedResources protectedResources = new ProtectedResources(
        List.of("arn:aws:iam::*:role/BreakGlass*", "arn:aws:ec2:*:*:instance/i-0aaaaaaaaaaaaaaaa"), "TrailhoundResponder",
        "arn:aws:iam::999999999999:user/trailhound-ci");

    @Test
    void shouldProtectConfiguredGlobs() {
        assertTrue(refused("arn:aws:iam::111122223333:role/BreakGlassAdmin"));
        assertTrue(refused("arn:aws:ec2:us-east-1:111122223333:instance/i-0aaaaaaaaaaaaaaaa"));
        assertTrue(!refused("arn:aws:iam::111122223333:role/app"));
        assertTrue(!refused("arn:aws:ec2:us-east-1:111122223333:instance/i-0bbbbbbbbbbbbbbbb"));
    }

    @Test
    void shouldAlwaysProtectTheRespondersOwnRoleAndIdentity() {
        assertTrue(refused("arn:aws:iam::444455556666:role/TrailhoundResponder"));
        assertTrue(refused("arn:aws:iam::444455556666:role/security/TrailhoundResponder"));
        assertTrue(refused("arn:aws:iam::999999999999:user/trailhound-ci"));
        ProtectedResources nothingConfigured = new ProtectedResources(List.of(), "TrailhoundResponder", "");
        assertTrue(nothingConfigured.match("arn:aws-us-gov:iam::1:role/TrailhoundResponder").isPresent());
        assertTrue(nothingConfigured.match("arn:aws:iam::1:role/trailhound/BreakGlass").isPresent(), "the /trailhound/ path");
        assertTrue(nothingConfigured.match("arn:aws:iam::1:user/trailhound/ops").isPresent());
        assertTrue(nothingConfigured.match("arn:aws:iam::1:role/trailhound-app").isEmpty());
        assertTrue(nothingConfigured.match("arn:aws:iam::1:role/app/trailhound/x").isEmpty(), "only the path's start");
    }

    @Test
    void shouldProtectThePrincipalBehindCredentialContainment() {
        Step onSession = Step.of("revoke", Phase.CONTAINMENT, AwsAction.IAM_PUT_ROLE_POLICY, "arn:aws:iam::111122223333:role/other",
            Map.of());
        var alert = TestAlerts.roleSession("arn:aws:iam::111122223333:role/BreakGlass", "alice").build();
        assertTrue(protectedResources.refusal(alert, onSession).isPresent());
    }

    @Test
    void shouldNeverSuppressAnEscalationToAHuman() {
        Step escalate = Escalation.toHuman("arn:aws:iam::111122223333:role/BreakGlassAdmin", "why").get(0);
        assertTrue(protectedResources.refusal(TestAlerts.iamUser().build(), escalate).isEmpty());
    }

    private boolean refused(String resource) {
        Step step = Step.of("x", Phase.CONTAINMENT, AwsAction.EC2_MODIFY_INSTANCE_ATTRIBUTE, resource, Map.of());
        return protectedResources.refusal(TestAlerts.instance("i-0").build(), step).isPresent();
    }
}
