package io.trailhound.respond.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.Mode;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.runbook.DenyPolicies;
import io.trailhound.testkit.aws.AwsEndpointExtension;
import io.trailhound.testkit.aws.AwsOperation;
import io.trailhound.testkit.aws.AwsQueryService;
import io.trailhound.testkit.aws.AwsReply;
import io.trailhound.testkit.aws.AwsRequest;

/** The IAM user runbook through the real SDK clients against a local IAM/STS endpoint: the exact requests and their order. */
class IamUserResponseTest {

    @RegisterExtension
    static final AwsEndpointExtension AWS = new AwsEndpointExtension();

    private static final List<String> STATE_CHANGING = List.of("UpdateAccessKey", "PutUserPolicy", "DeleteLoginProfile",
        "UpdateSSHPublicKey", "UpdateServiceSpecificCredential", "UpdateSigningCertificate");

    private static final Map<String, String> LOGIN_GATE = Map.of(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");

    private LocalResponder local;
    private AwsReply updateKey;
    private AwsReply putPolicy;

    @BeforeEach
    void stubIam() {
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata>"
            + "<member><UserName>mallory</UserName><AccessKeyId>AKIAEXAMPLEKEY1</AccessKeyId><Status>Active</Status></member>"
            + "<member><UserName>mallory</UserName><AccessKeyId>AKIAEXAMPLEKEY2</AccessKeyId><Status>Inactive</Status></member>"
            + "</AccessKeyMetadata><IsTruncated>false</IsTruncated>");
        updateKey = AWS.stubQuery(AwsQueryService.IAM, "UpdateAccessKey", "");
        AWS.stubQueryError(AwsQueryService.IAM, "GetUserPolicy", 404, "NoSuchEntity", "The user policy does not exist");
        putPolicy = AWS.stubQuery(AwsQueryService.IAM, "PutUserPolicy", "");
        AWS.stubQuery(AwsQueryService.IAM, "DeleteLoginProfile", "");
        AWS.stubQuery(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys><member><UserName>mallory</UserName>"
            + "<SSHPublicKeyId>APKAEXAMPLESSH1</SSHPublicKeyId><Status>Active</Status><UploadDate>2026-01-01T00:00:00Z</UploadDate>"
            + "</member></SSHPublicKeys><IsTruncated>false</IsTruncated>");
        AWS.stubQuery(AwsQueryService.IAM, "UpdateSSHPublicKey", "");
        AWS.stubQuery(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>");
        AWS.stubQuery(AwsQueryService.IAM, "ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>");
        local = new LocalResponder(AWS, null, Map.of());
    }

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void shouldContainTheUserWithTheExactRequestsInOrder() {
        List<ResponseAction> records = local.responder.respond(TestAlerts.iamUser().build());

        assertEquals(List.of("UpdateAccessKey", "PutUserPolicy", "DeleteLoginProfile", "UpdateSSHPublicKey"), stateChanging());
        AwsRequest update = AWS.verifyCalled("UpdateAccessKey", 1).get(0);
        assertEquals("AKIAEXAMPLEKEY1", update.param("AccessKeyId"), "the inactive key is not touched again");
        assertEquals("Inactive", update.param("Status"));
        assertEquals("mallory", update.param("UserName"));
        AwsRequest put = AWS.verifyCalled("PutUserPolicy");
        assertEquals("AWSRevokeOlderSessions", put.param("PolicyName"));
        assertTrue(put.param("PolicyDocument").contains("\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-28T00:10:01Z\"}"),
            "tokens issued before the responder's now are denied: " + put.param("PolicyDocument"));
        assertEquals("APKAEXAMPLESSH1", AWS.verifyCalled("UpdateSSHPublicKey").param("SSHPublicKeyId"), "SSH keys are deactivated");
        assertEquals("arn:aws:iam::111122223333:role/TrailhoundResponder", AWS.verifyCalled("AssumeRole").param("RoleArn"));

        assertEquals(8, records.size());
        assertTrue(records.stream().allMatch(r -> r.getStatus() == ActionStatus.EXECUTED), records.toString());
        assertTrue(find(records, "iam:UpdateAccessKey").getAwsRequestId().contains(updateKey.requestId()));
        assertTrue(find(records, "iam:PutUserPolicy").getAwsRequestId().contains(putPolicy.requestId()));
        assertTrue(find(records, "iam:UpdateAccessKey").getRollback().contains("AKIAEXAMPLEKEY1"));
        assertEquals("no active serviceSpecificCredentials", find(records, "iam:UpdateServiceSpecificCredential").getReason());
        assertTrue(LocalResponder.POLICY_ACTIONS.containsAll(LocalResponder.calledActions(AWS)),
            "the least-privilege policy allows every call made: " + LocalResponder.calledActions(AWS));
    }

    @Test
    void shouldActOnceWhenTheSameAlertArrivesTwice() {
        local.responder.respond(TestAlerts.iamUser().build());
        int before = AWS.requests().size();
        List<ResponseAction> second = local.responder.respond(TestAlerts.iamUser().build());
        assertTrue(second.isEmpty(), "nothing is recorded again: " + second);
        assertEquals(before, AWS.requests().size(), "no AWS call at all the second time");
    }

    @Test
    void shouldNotTouchKeysThatAreAlreadyInactive() {
        AWS.stubQuery(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata><member><UserName>mallory</UserName>"
            + "<AccessKeyId>AKIAEXAMPLEKEY1</AccessKeyId><Status>Inactive</Status></member></AccessKeyMetadata>"
            + "<IsTruncated>false</IsTruncated>");
        List<ResponseAction> records = local.responder.respond(TestAlerts.iamUser().build());
        assertTrue(AWS.requests("UpdateAccessKey").isEmpty());
        assertEquals("no active accessKeys", find(records, "iam:UpdateAccessKey").getReason());
    }

    @Test
    void shouldChangeNothingInDryRun() {
        try (LocalResponder dry = new LocalResponder(AWS, null, Map.of(ResponderConfig.DRY_RUN_CONFIG, "true"))) {
            List<ResponseAction> records = dry.responder.respond(TestAlerts.iamUser().build());
            assertEquals(8, records.size());
            assertTrue(records.stream().allMatch(r -> r.getStatus() == ActionStatus.DRY_RUN && r.getDryRun()));
            assertTrue(AWS.requests().isEmpty(), "no AWS call at all: " + AWS.requests());
        }
    }

    @Test
    void shouldNeverActOnReplayedOrStaleAlerts() {
        List<ResponseAction> replayed = local.responder.respond(TestAlerts.iamUser().setMode(Mode.REPLAY).build());
        List<ResponseAction> stale = local.responder.respond(TestAlerts.iamUser().setAlertId("old").setIncidentId("inc-old")
            .setLastSeen(TestAlerts.NOW.minusSeconds(7200)).setDetectedAt(TestAlerts.NOW.minusSeconds(7200)).build());
        assertTrue(replayed.stream().allMatch(r -> r.getStatus() == ActionStatus.SKIPPED && r.getReason().contains("REPLAY")));
        assertTrue(stale.stream().allMatch(r -> r.getStatus() == ActionStatus.SKIPPED && r.getReason().contains("stale")));
        assertFalse(replayed.isEmpty() || stale.isEmpty());
        assertTrue(AWS.requests().isEmpty(), "no AWS call at all: " + AWS.requests());
    }

    @Test
    void shouldNeverContainAProtectedPrincipal() {
        try (LocalResponder guarded = new LocalResponder(AWS, null,
                Map.of(ResponderConfig.PROTECTED_ARNS_CONFIG, "arn:aws:iam::111122223333:user/mallory"))) {
            List<ResponseAction> records = guarded.responder.respond(TestAlerts.iamUser().build());
            assertTrue(records.stream().filter(r -> r.getAwsAction().startsWith("iam:"))
                .allMatch(r -> r.getStatus() == ActionStatus.SKIPPED && r.getReason().startsWith("protected")));
            assertTrue(AWS.requests().isEmpty(), "no AWS call at all: " + AWS.requests());
        }
    }

    @Test
    void shouldRetryThrottlingAndServerErrorsWithBackoff() {
        AwsOperation update = AwsOperation.query(AwsQueryService.IAM, "UpdateAccessKey");
        AWS.stubSequence(update, update.error(400, "Throttling", "Rate exceeded"), update.error(500, "ServiceFailure", "oops"),
            update.success(""));
        List<ResponseAction> records = local.responder.respond(TestAlerts.iamUser().build());
        assertEquals(3, AWS.requests("UpdateAccessKey").size());
        assertEquals(ActionStatus.EXECUTED, find(records, "iam:UpdateAccessKey").getStatus());
    }

    @Test
    void shouldFailAStepWithItsAwsErrorCodeAndSkipLaterStepsOnTheSameUser() {
        AWS.stubQueryError(AwsQueryService.IAM, "UpdateAccessKey", 403, "AccessDenied", "not authorized to perform iam:UpdateAccessKey");
        List<ResponseAction> records = local.responder.respond(TestAlerts.iamUser().build());
        ResponseAction failed = find(records, "iam:UpdateAccessKey");
        assertEquals(ActionStatus.FAILED, failed.getStatus());
        assertEquals("AccessDenied", failed.getErrorCode());
        assertEquals(1, AWS.requests("UpdateAccessKey").size(), "AccessDenied is not retried");
        assertEquals(ActionStatus.SKIPPED, find(records, "iam:PutUserPolicy").getStatus());
        assertEquals(ActionStatus.EXECUTED, find(records, "trailhound:RecordOnly").getStatus(), "the notification still goes out");
        assertNull(find(records, "iam:ListAccessKeys").getErrorCode());
    }

    @Test
    void shouldRunEachStepExactlyOnceWhenKilledBetweenTwoStepsAndRestarted() {
        // IAM's state as the stubs tell it: the policy exists once it was put, the key is inactive once deactivated
        AwsOperation getPolicy = AwsOperation.query(AwsQueryService.IAM, "GetUserPolicy");
        AWS.stubSequence(getPolicy, getPolicy.error(404, "NoSuchEntity", "no such policy"), getPolicy.success(
            "<UserName>mallory</UserName><PolicyName>AWSRevokeOlderSessions</PolicyName><PolicyDocument>"
                + URLEncoder.encode(DenyPolicies.tokensIssuedBefore(TestAlerts.NOW), StandardCharsets.UTF_8) + "</PolicyDocument>"));
        InMemoryActionLedger kept = new InMemoryActionLedger();
        ActionLedger crashing = EngineFixtures.killedBeforeOutcomeOf("iam:PutUserPolicy", kept);
        try (LocalResponder first = new LocalResponder(AWS, null, Map.of(), crashing)) {
            assertThrows(EngineFixtures.Killed.class, () -> first.responder.respond(TestAlerts.iamUser().build()));
        }
        try (LocalResponder restarted = new LocalResponder(AWS, null, Map.of(), kept)) {
            List<ResponseAction> resumed = restarted.responder.respond(TestAlerts.iamUser().build());
            assertEquals("iam:PutUserPolicy", resumed.get(0).getAwsAction(), "resumes at the step that was in flight");
            assertEquals("policy AWSRevokeOlderSessions is already attached", resumed.get(0).getReason());
        }
        for (String action : STATE_CHANGING.subList(0, 4)) {
            assertEquals(1, AWS.requests(action).size(), action + " ran exactly once");
        }
    }

    /**
     * #17: killed after AWS answered the token-age deny, before its outcome was recorded, and restarted 7 s later. The plan made
     * after the restart has a new aws:TokenIssueTime cut-off; the step's write-ahead intent keeps the one AWS was sent, so the
     * executor's read-back finds that document attached and makes no second PutUserPolicy.
     */
    @Test
    void shouldReuseTheIntentsParametersWhenRestartedLaterAfterAKillBetweenIntentAndOutcome() {
        AwsOperation getPolicy = AwsOperation.query(AwsQueryService.IAM, "GetUserPolicy");
        AWS.stubSequence(getPolicy, getPolicy.error(404, "NoSuchEntity", "no such policy"), getPolicy.success(
            "<UserName>mallory</UserName><PolicyName>AWSRevokeOlderSessions</PolicyName><PolicyDocument>"
                + URLEncoder.encode(DenyPolicies.tokensIssuedBefore(TestAlerts.NOW), StandardCharsets.UTF_8) + "</PolicyDocument>"));
        InMemoryActionLedger kept = new InMemoryActionLedger();
        ActionLedger crashing = EngineFixtures.killedBeforeOutcomeOf("iam:PutUserPolicy", kept);
        try (LocalResponder first = new LocalResponder(AWS, null, Map.of(), crashing)) {
            assertThrows(EngineFixtures.Killed.class, () -> first.responder.respond(TestAlerts.iamUser().build()));
        }
        ResponseAction intent = kept.incident("inc-1").stream().filter(a -> a.getAwsAction().equals("iam:PutUserPolicy"))
            .findFirst().orElseThrow();
        assertTrue(AuditRecords.isIntent(intent), "the interrupted step's latest record is its intent: " + intent);
        assertTrue(intent.getDetails().contains(DenyPolicies.cutoff(TestAlerts.NOW)), intent.getDetails());
        assertEquals(1, AWS.requests("PutUserPolicy").size(), "AWS made the change before the kill");

        Clock later = Clock.fixed(TestAlerts.NOW.plusSeconds(7), ZoneOffset.UTC);
        try (LocalResponder restarted = new LocalResponder(AWS, null, Map.of(), kept, later)) {
            List<ResponseAction> resumed = restarted.responder.respond(TestAlerts.iamUser().build());
            assertEquals("iam:PutUserPolicy", resumed.get(0).getAwsAction(), "resumes at the step that was in flight");
            assertEquals(ActionStatus.EXECUTED, resumed.get(0).getStatus());
            assertEquals("policy AWSRevokeOlderSessions is already attached", resumed.get(0).getReason());
        }
        for (String action : STATE_CHANGING.subList(0, 4)) {
            assertEquals(1, AWS.requests(action).size(), action + " ran exactly once");
        }
        assertEquals(1, AWS.requests("PutUserPolicy").stream().filter(r -> r.param("PolicyDocument")
            .contains(DenyPolicies.cutoff(TestAlerts.NOW))).count(), "the one deny has the first plan's cut-off");
        assertTrue(kept.incident("inc-1").stream().noneMatch(AuditRecords::isIntent), "every intent has its outcome");
    }

    /**
     * #17: killed after an approved step's APPROVED record, before its intent: AWS was not called. The restarted responder goes
     * on with the step once, intent first, whether the decision is read again or the incident's alert comes again.
     */
    @Test
    void shouldRunAnApprovedStepOnceWhenKilledBetweenItsApprovalAndItsIntent() {
        for (boolean redelivered : List.of(true, false)) {
            AWS.wireMock().resetRequests();
            InMemoryActionLedger kept = new InMemoryActionLedger();
            ApprovalDecision decision = approvedThenKilled(kept);
            assertTrue(AWS.requests("DeleteLoginProfile").isEmpty(), "killed before the intent: nothing sent");
            try (LocalResponder restarted = new LocalResponder(AWS, null, LOGIN_GATE, kept)) {
                List<ResponseAction> done = redelivered ? restarted.responder.decide(decision)
                    : restarted.responder.respond(TestAlerts.iamUser().build());
                assertEquals(ActionStatus.EXECUTED, find(done, "iam:DeleteLoginProfile").getStatus());
                // the other trigger afterwards changes nothing
                restarted.responder.respond(TestAlerts.iamUser().build());
                restarted.responder.decide(decision);
            }
            assertEquals(1, AWS.requests("DeleteLoginProfile").size(), "the approved delete once (redelivered: " + redelivered + ")");
            List<ActionStatus> login = kept.history().stream().filter(a -> a.getActionId().equals(decision.getActionId()))
                .map(a -> AuditRecords.isIntent(a) ? ActionStatus.PLANNED : a.getStatus()).toList();
            assertEquals(List.of(ActionStatus.AWAITING_APPROVAL, ActionStatus.APPROVED, ActionStatus.PLANNED, ActionStatus.EXECUTED),
                login);
        }
    }

    /** The approval of the console password delete, with the responder killed as it writes the step's intent. */
    private static ApprovalDecision approvedThenKilled(InMemoryActionLedger kept) {
        ActionLedger dies = EngineFixtures.killedAt(r -> r.getAwsAction().equals("iam:DeleteLoginProfile") && AuditRecords.isIntent(r),
            kept);
        try (LocalResponder first = new LocalResponder(AWS, null, LOGIN_GATE, dies)) {
            ResponseAction waiting = find(first.responder.respond(TestAlerts.iamUser().build()), "iam:DeleteLoginProfile");
            ApprovalDecision decision = ApprovalDecision.newBuilder().setRequestId(first.approvals.requests.get(0).getRequestId())
                .setActionId(waiting.getActionId()).setDecision(Decision.APPROVED).setApprover("bob")
                .setDecidedAt(TestAlerts.NOW.plusSeconds(60)).build();
            assertThrows(EngineFixtures.Killed.class, () -> first.responder.decide(decision));
            assertEquals(ActionStatus.APPROVED, kept.latest(waiting.getActionId()).orElseThrow().getStatus());
            return decision;
        }
    }

    @Test
    void shouldWaitForApprovalOfConfiguredActionsAndIgnoreExpiredDecisions() {
        Map<String, String> gate = Map.of(ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");
        try (LocalResponder gated = new LocalResponder(AWS, null, gate)) {
            ResponseAction waiting = find(gated.responder.respond(TestAlerts.iamUser().build()), "iam:DeleteLoginProfile");
            assertEquals(ActionStatus.AWAITING_APPROVAL, waiting.getStatus());
            assertEquals(1, gated.approvals.requests.size());
            assertEquals(TestAlerts.NOW.plusSeconds(3600), gated.approvals.requests.get(0).getExpiresAt());
            ApprovalDecision late = ApprovalDecision.newBuilder().setRequestId("r").setActionId(waiting.getActionId())
                .setDecision(Decision.APPROVED).setApprover("bob").setDecidedAt(TestAlerts.NOW.plusSeconds(3601)).build();
            List<ResponseAction> decided = gated.responder.decide(late);
            assertEquals(ActionStatus.SKIPPED, decided.get(0).getStatus());
            assertTrue(decided.get(0).getReason().startsWith("approval expired"), decided.get(0).getReason());
            assertTrue(AWS.requests("DeleteLoginProfile").isEmpty());
        }
    }

    @Test
    void shouldPostWhatWasDoneAndWhatAwaitsApprovalToTheWebhook() {
        AWS.wireMock().stubFor(post(urlEqualTo("/hooks/soc")).willReturn(aResponse().withStatus(204)));
        Map<String, String> props = Map.of(ResponderConfig.NOTIFICATION_WEBHOOK_CONFIG, AWS.endpoint() + "/hooks/soc",
            ResponderConfig.APPROVAL_ACTIONS_CONFIG, "iam:DeleteLoginProfile");
        try (LocalResponder notifying = new LocalResponder(AWS, null, props)) {
            List<ResponseAction> records = notifying.responder.respond(TestAlerts.iamUser().build());
            assertEquals(ActionStatus.EXECUTED, find(records, "trailhound:PostWebhook").getStatus());
        }
        List<AwsRequest> posts = AWS.requests().stream().filter(r -> r.path().equals("/hooks/soc")).toList();
        assertEquals(1, posts.size());
        String body = posts.get(0).body();
        assertTrue(body.contains("\"incidentId\":\"inc-1\"") && body.contains("\"awaitingApproval\":1"), body);
        assertTrue(body.contains("\"action\":\"iam:UpdateAccessKey\",\"resource\":\"arn:aws:iam::111122223333:user/mallory\","
            + "\"status\":\"EXECUTED\""), body);
    }

    private static List<String> stateChanging() {
        return AWS.requests().stream().map(AwsRequest::action).filter(STATE_CHANGING::contains).toList();
    }

    private static ResponseAction find(List<ResponseAction> records, String action) {
        return records.stream().filter(r -> r.getAwsAction().equals(action)).findFirst().orElseThrow(() -> new AssertionError(action));
    }
}
