package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.respond.TestAlerts;

class IamUserCompromiseTest {

    private static final String USER = "arn:aws:iam::111122223333:user/mallory";

    @Test
    void shouldRecordThenContainEveryCredentialOfTheUserThenNotify() {
        List<Step> steps = new IamUserCompromise(RunbookSettings.defaults()).plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        assertEquals(List.of("iam:ListAccessKeys", "iam:UpdateAccessKey", "iam:PutUserPolicy", "iam:DeleteLoginProfile",
            "iam:UpdateSSHPublicKey", "iam:UpdateServiceSpecificCredential", "iam:UpdateSigningCertificate", "trailhound:RecordOnly"),
            steps.stream().map(s -> s.action().id()).toList());
        assertEquals(Phase.EVIDENCE, steps.get(0).phase());
        assertEquals(Phase.NOTIFY, steps.get(steps.size() - 1).phase());
        assertTrue(steps.subList(1, steps.size() - 1).stream().allMatch(s -> s.phase() == Phase.CONTAINMENT));
        assertTrue(steps.subList(0, steps.size() - 1).stream().allMatch(s -> s.resource().equals(USER)));
        assertTrue(steps.stream().noneMatch(Step::requiresApproval), "user containment is reversible and runs without approval");
        assertEquals("all", steps.get(1).parameters().get("Scope"));
    }

    @Test
    void shouldDenyTokensIssuedBeforeNowRoundedUpToTheSecond() {
        Step deny = new IamUserCompromise(RunbookSettings.defaults()).plan(TestAlerts.iamUser().build(), TestAlerts.NOW).get(2);
        assertEquals("2026-11-28T00:10:01Z", deny.parameters().get("TokenIssueTimeBefore"));
        assertEquals(DenyPolicies.REVOKE_OLDER_SESSIONS, deny.parameters().get("PolicyName"));
        assertTrue(deny.parameters().get("PolicyDocument")
            .contains("\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-28T00:10:01Z\"}"), deny.parameters().get("PolicyDocument"));
        assertTrue(deny.parameters().get("PolicyDocument").contains("\"Effect\":\"Deny\""));
    }

    @Test
    void shouldDeactivateOnlyTheCompromisedKeysWhenConfigured() {
        RunbookSettings onlyCompromised = new RunbookSettings("ev", "allow", "quarantine", false, "", false);
        Step keys = new IamUserCompromise(onlyCompromised).plan(TestAlerts.iamUser().build(), TestAlerts.NOW).get(1);
        assertEquals("compromised", keys.parameters().get("Scope"));
        assertEquals("AKIAEXAMPLEKEY1", keys.parameters().get("AccessKeyIds"));
    }

    @Test
    void shouldSendRootToAHuman() {
        Principal root = Principal.newBuilder().setType(PrincipalType.Root).setArn("arn:aws:iam::111122223333:root").build();
        List<Step> steps = new IamUserCompromise(RunbookSettings.defaults())
            .plan(TestAlerts.iamUser().setPrincipal(root).build(), TestAlerts.NOW);
        assertEquals(1, steps.size());
        assertEquals(AwsAction.TRAILHOUND_ESCALATE_TO_HUMAN, steps.get(0).action());
        assertFalse(steps.get(0).action().service().equals("iam"));
    }

    @Test
    void shouldNotifyTheConfiguredTopic() {
        RunbookSettings withTopic = new RunbookSettings("ev", "allow", "quarantine", true, "arn:aws:sns:us-east-1:1:soc", false);
        List<Step> steps = new IamUserCompromise(withTopic).plan(TestAlerts.iamUser().build(), TestAlerts.NOW);
        Step last = steps.get(steps.size() - 1);
        assertEquals(AwsAction.SNS_PUBLISH, last.action());
        assertEquals("arn:aws:sns:us-east-1:1:soc", last.resource());
    }
}
