package io.trailhound.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.serde.TrustedAvroClasses;

class DecisionSignatureTest {

    private static final KeyPair ALICE = Ed25519Keys.generate();
    private static final KeyPair MALLORY = Ed25519Keys.generate();

    static {
        TrustedAvroClasses.install();
    }

    static ApprovalDecision decision() {
        return ApprovalDecision.newBuilder().setRequestId("req-1").setActionId("inc-1|ec2:TerminateInstances|i-1|terminate")
            .setDecision(Decision.APPROVED).setApprover("alice").setReason("confirmed").setAccountId("111122223333")
            .setRunbook("ec2-compromise").setAwsAction("ec2:TerminateInstances").setResource("i-1")
            .setDecidedAt(Instant.parse("2026-12-06T10:00:00Z")).setExpiresAt(Instant.parse("2026-12-06T14:00:00Z"))
            .setNonce("00112233445566778899aabbccddeeff").build();
    }

    @Test
    void shouldWriteTheDocumentedCanonicalForm() {
        byte[] canonical = DecisionSignature.canonical(decision());
        ByteBuffer in = ByteBuffer.wrap(canonical);
        List<String> expected = List.of(DecisionSignature.DOMAIN, "req-1", "inc-1|ec2:TerminateInstances|i-1|terminate", "APPROVED",
            "alice", "111122223333", "ec2-compromise", "ec2:TerminateInstances", "i-1", "confirmed",
            Long.toString(Instant.parse("2026-12-06T10:00:00Z").toEpochMilli()),
            Long.toString(Instant.parse("2026-12-06T14:00:00Z").toEpochMilli()), "00112233445566778899aabbccddeeff");
        for (String field : expected) {
            byte[] value = new byte[in.getInt()];
            in.get(value);
            assertEquals(field, new String(value, StandardCharsets.UTF_8));
        }
        assertFalse(in.hasRemaining(), "nothing after the nonce");
    }

    @Test
    void shouldNotLetAValueForgeTheNextField() {
        // without length prefixes "a|b" + "c" and "a" + "b|c" could read alike
        ApprovalDecision one = ApprovalDecision.newBuilder(decision()).setRunbook("ec2-compromise\nawsAction").setAwsAction("x").build();
        ApprovalDecision two = ApprovalDecision.newBuilder(decision()).setRunbook("ec2-compromise").setAwsAction("awsAction\nx").build();
        assertNotEquals(new String(DecisionSignature.canonical(one), StandardCharsets.UTF_8),
            new String(DecisionSignature.canonical(two), StandardCharsets.UTF_8));
    }

    @Test
    void shouldVerifyItsOwnSignatureOnlyWithTheSignersKey() {
        ApprovalDecision signed = DecisionSignature.sign(decision(), ALICE.getPrivate());
        assertEquals(64, signed.getSignature().remaining());
        assertTrue(DecisionSignature.verify(signed, ALICE.getPublic()));
        assertFalse(DecisionSignature.verify(signed, MALLORY.getPublic()), "another key");
        assertFalse(DecisionSignature.verify(decision(), ALICE.getPublic()), "unsigned");
        assertArrayEquals(DecisionSignature.canonical(decision()), DecisionSignature.canonical(signed), "the signature is not signed");
    }

    @Test
    void shouldFailVerificationWhenAnySignedFieldChanges() {
        ApprovalDecision signed = DecisionSignature.sign(decision(), ALICE.getPrivate());
        List<UnaryOperator<ApprovalDecision.Builder>> changes = List.of(
            b -> b.setRequestId("req-2"), b -> b.setActionId("inc-2|x"), b -> b.setDecision(Decision.REJECTED),
            b -> b.setApprover("bob"), b -> b.setAccountId("444455556666"), b -> b.setRunbook("iam-user-compromise"),
            b -> b.setAwsAction("iam:UpdateAccessKey"), b -> b.setResource("i-2"), b -> b.setReason("other"),
            b -> b.setDecidedAt(Instant.parse("2026-12-06T10:00:01Z")), b -> b.setExpiresAt(Instant.parse("2027-12-06T14:00:00Z")),
            b -> b.setNonce("ffeeddccbbaa99887766554433221100"));
        for (UnaryOperator<ApprovalDecision.Builder> change : changes) {
            ApprovalDecision tampered = change.apply(ApprovalDecision.newBuilder(signed)).build();
            assertFalse(DecisionSignature.verify(tampered, ALICE.getPublic()), "tampered: " + tampered);
        }
    }

    @Test
    void shouldMakeADifferentNonceEachTime() {
        String nonce = DecisionSignature.nonce();
        assertEquals(32, nonce.length());
        assertNotEquals(nonce, DecisionSignature.nonce());
    }
}
