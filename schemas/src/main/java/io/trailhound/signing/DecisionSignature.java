package io.trailhound.signing;

import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.HexFormat;

import io.trailhound.avro.ApprovalDecision;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * The signature an approver puts on an approval decision ({@code trailhound approve/reject}) and the responder checks.
 *
 * <p>Canonical form, version 1 (what is signed): the fields below in this order, each as 4-byte big-endian length + UTF-8
 * bytes (see {@link CanonicalBytes}); null text as empty, times as decimal epoch milliseconds:
 * {@code "trailhound/approval-decision/v1"}, requestId, actionId, decision ({@code APPROVED}/{@code REJECTED}), approver,
 * accountId, runbook, awsAction, resource, reason, decidedAt, expiresAt, nonce. The signature is Ed25519 over those bytes,
 * stored in the decision's {@code signature} field. A change to any of them, or a decision moved to another request,
 * account or action, no longer verifies.
 */
public final class DecisionSignature {

    /** The domain tag, first field of the canonical form: a signature made for anything else never verifies as a decision. */
    public static final String DOMAIN = "trailhound/approval-decision/v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DecisionSignature() {
    }

    /** The bytes signed for {@code decision} (its {@code signature} field is not part of them). */
    public static byte[] canonical(ApprovalDecision decision) {
        return new CanonicalBytes()
            .text(DOMAIN)
            .text(decision.getRequestId())
            .text(decision.getActionId())
            .text(decision.getDecision().name())
            .text(decision.getApprover())
            .text(decision.getAccountId())
            .text(decision.getRunbook())
            .text(decision.getAwsAction())
            .text(decision.getResource())
            .text(decision.getReason())
            .number(decision.getDecidedAt().toEpochMilli())
            .number(decision.getExpiresAt().toEpochMilli())
            .text(decision.getNonce())
            .toByteArray();
    }

    /** A fresh nonce: 128 random bits as hex. */
    public static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code decision} signed with {@code key} (every other field unchanged). */
    public static ApprovalDecision sign(ApprovalDecision decision, PrivateKey key) {
        // the builder deep-copies the decision, which Avro does only for trusted classes
        TrustedAvroClasses.install();
        return ApprovalDecision.newBuilder(decision).setSignature(ByteBuffer.wrap(Ed25519Keys.sign(key, canonical(decision)))).build();
    }

    /** Whether {@code decision} carries a signature of its canonical form by {@code key}. */
    public static boolean verify(ApprovalDecision decision, PublicKey key) {
        if (decision.getSignature() == null) {
            return false;
        }
        ByteBuffer buffer = decision.getSignature().duplicate();
        byte[] signature = new byte[buffer.remaining()];
        buffer.get(signature);
        return Ed25519Keys.verify(key, canonical(decision), signature);
    }
}
