package io.trailhound.respond.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.serde.TrustedAvroClasses;
import io.trailhound.signing.DecisionSignature;
import io.trailhound.signing.Ed25519Keys;

/** Issue #19 item 2: which approval decisions the responder applies. */
class DecisionCheckTest {

    private static final KeyPair ALICE = Ed25519Keys.generate();
    private static final KeyPair BOB = Ed25519Keys.generate();
    private static final KeyPair MALLORY = Ed25519Keys.generate();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String ACTION = "inc-1|iam:DeleteLoginProfile|arn:aws:iam::111122223333:user/mallory|remove-console-access";

    static {
        TrustedAvroClasses.install();
    }

    private final DecisionCheck check = new DecisionCheck(Approvers.from(approvers()), true);

    private static Map<String, String> approvers() {
        Map<String, String> props = new HashMap<>();
        props.put("responder.approver.alice.public.key", Ed25519Keys.publicKeyText(ALICE.getPublic()));
        props.put("responder.approver.alice.runbooks", "*");
        props.put("responder.approver.alice.accounts", "1111*, 222233334444");
        props.put("responder.approver.bob.public.key", Ed25519Keys.publicKeyText(BOB.getPublic()));
        props.put("responder.approver.bob.runbooks", "ec2-compromise");
        props.put("responder.approver.bob.accounts", "*");
        return props;
    }

    private static ResponseAction waiting() {
        return ResponseAction.newBuilder().setActionId(ACTION).setIncidentId("inc-1").setRunbook("iam-user-compromise")
            .setStep("remove-console-access").setAwsAction("iam:DeleteLoginProfile").setResource("arn:aws:iam::111122223333:user/mallory")
            .setAccountId("111122223333").setRegion("us-east-1").setStatus(ActionStatus.AWAITING_APPROVAL)
            .setApprovalRequestId("req-1").setTime(NOW.minusSeconds(600)).build();
    }

    private static ApprovalDecision.Builder decision(String approver) {
        return ApprovalDecision.newBuilder().setRequestId("req-1").setActionId(ACTION).setDecision(Decision.APPROVED)
            .setApprover(approver).setAccountId("111122223333").setRunbook("iam-user-compromise").setAwsAction("iam:DeleteLoginProfile")
            .setResource("arn:aws:iam::111122223333:user/mallory").setDecidedAt(NOW.minusSeconds(60))
            .setExpiresAt(NOW.plusSeconds(3600)).setNonce(DecisionSignature.nonce());
    }

    private static ApprovalDecision signed(ApprovalDecision.Builder decision, KeyPair key) {
        return DecisionSignature.sign(decision.build(), key.getPrivate());
    }

    private String kind(ApprovalDecision decision, Optional<ResponseAction> waiting) {
        return check.refusal(decision, waiting, NOW).map(DecisionCheck.Refusal::kind).orElse("accepted");
    }

    @Test
    void shouldAcceptADecisionSignedByAnApproverInScopeForTheWaitingRequest() {
        assertEquals("accepted", kind(signed(decision("alice"), ALICE), Optional.of(waiting())));
    }

    @Test
    void shouldRefuseUnsignedUnknownSignerAndBadSignature() {
        assertEquals(DecisionCheck.Refusal.UNSIGNED, kind(decision("alice").build(), Optional.of(waiting())));
        assertEquals(DecisionCheck.Refusal.UNKNOWN_SIGNER, kind(signed(decision("mallory"), MALLORY), Optional.of(waiting())));
        assertEquals(DecisionCheck.Refusal.BAD_SIGNATURE, kind(signed(decision("alice"), MALLORY), Optional.of(waiting())));
        ApprovalDecision flipped = ApprovalDecision.newBuilder(signed(decision("alice").setDecision(Decision.REJECTED), ALICE))
            .setDecision(Decision.APPROVED).build();
        assertEquals(DecisionCheck.Refusal.BAD_SIGNATURE, kind(flipped, Optional.of(waiting())), "a rejection turned into an approval");
    }

    @Test
    void shouldRefuseOutOfScopeByRunbookAndByAccount() {
        assertEquals(DecisionCheck.Refusal.OUT_OF_SCOPE, kind(signed(decision("bob"), BOB), Optional.of(waiting())), "bob: ec2 only");
        ResponseAction otherAccount = ResponseAction.newBuilder(waiting()).setAccountId("444455556666").build();
        assertEquals(DecisionCheck.Refusal.OUT_OF_SCOPE, kind(signed(decision("alice").setAccountId("444455556666"), ALICE),
            Optional.of(otherAccount)), "alice: 1111* and 222233334444 only");
    }

    @Test
    void shouldRefuseExpiredDecisions() {
        assertEquals(DecisionCheck.Refusal.EXPIRED, kind(signed(decision("alice").setExpiresAt(NOW.minusSeconds(1)), ALICE),
            Optional.of(waiting())));
        assertEquals(DecisionCheck.Refusal.EXPIRED, kind(signed(decision("alice").setExpiresAt(Instant.EPOCH), ALICE),
            Optional.of(waiting())), "no expiry is no validity");
    }

    @Test
    void shouldRefuseADecisionAppliedBeforeOrForAStepNoLongerWaiting() {
        ApprovalDecision approved = signed(decision("alice"), ALICE);
        assertEquals("accepted", kind(approved, Optional.of(waiting())));
        check.applied(approved, NOW);
        assertEquals(DecisionCheck.Refusal.REPLAYED, kind(approved, Optional.of(waiting())), "same nonce");
        ResponseAction executed = ResponseAction.newBuilder(waiting()).setStatus(ActionStatus.EXECUTED).build();
        assertEquals(DecisionCheck.Refusal.REPLAYED, kind(signed(decision("alice"), ALICE), Optional.of(executed)),
            "after a restart the ledger says the step was decided");
        assertEquals(DecisionCheck.Refusal.REPLAYED, kind(signed(decision("alice"), ALICE), Optional.empty()));
        assertEquals(DecisionCheck.Refusal.REPLAYED, kind(signed(decision("alice").setNonce(""), ALICE), Optional.of(waiting())));
    }

    @Test
    void shouldRefuseADecisionForAnotherRequest() {
        for (ApprovalDecision.Builder other : new ApprovalDecision.Builder[] {decision("alice").setRequestId("req-0"),
            decision("alice").setAccountId("111100000000"), decision("alice").setRunbook("ec2-compromise"),
            decision("alice").setAwsAction("iam:UpdateAccessKey"), decision("alice").setResource("arn:aws:iam::111122223333:user/bob")}) {
            assertEquals(DecisionCheck.Refusal.MISMATCH, kind(signed(other, ALICE), Optional.of(waiting())), other.toString());
        }
    }

    @Test
    void shouldApplyUnsignedDecisionsOnlyWhenSignaturesAreNotRequired() {
        DecisionCheck development = new DecisionCheck(Approvers.none(), false);
        assertEquals(Optional.empty(), development.refusal(decision("anyone").build(), Optional.of(waiting()), NOW));
        assertTrue(development.refusal(signed(decision("alice"), ALICE), Optional.of(waiting()), NOW).isPresent(),
            "a signed decision is still checked");
    }

    @Test
    void shouldRequireAKeyAndAnExplicitScopeForEveryApprover() {
        Map<String, String> noScope = new HashMap<>(Map.of("responder.approver.carol.public.key",
            Ed25519Keys.publicKeyText(ALICE.getPublic()), "responder.approver.carol.runbooks", "*"));
        assertTrue(assertThrows(ConfigException.class, () -> Approvers.from(noScope)).getMessage().contains("carol.accounts"));
        Map<String, String> badKey = Map.of("responder.approver.carol.public.key", "AAAA", "responder.approver.carol.runbooks", "*",
            "responder.approver.carol.accounts", "*");
        assertTrue(assertThrows(ConfigException.class, () -> Approvers.from(badKey)).getMessage().contains("Ed25519"));
        assertThrows(ConfigException.class, () -> Approvers.from(Map.of("responder.approver.carol.scope", "*")));
    }
}
