package io.trailhound.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RecordSignatureTest {

    private static final KeyPair DETECT = Ed25519Keys.generate();
    private static final KeyPair OTHER = Ed25519Keys.generate();
    private static final RecordSignature CHECK = new RecordSignature(Map.of("detect-1", DETECT.getPublic()));
    private static final byte[] VALUE = "alert bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldTrustARecordSignedByATrustedKeyForItsTopic() {
        RecordHeaders headers = new RecordHeaders();
        new RecordSigner("detect-1", DETECT.getPrivate()).sign("trailhound.alerts", VALUE, headers);
        assertEquals(Optional.empty(), CHECK.refusal("trailhound.alerts", VALUE, headers));
        assertEquals("detect-1", new String(headers.lastHeader(RecordSignature.KEY_ID).value(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseUnsignedUnknownKeyWrongKeyOtherTopicAndChangedBytes() {
        assertTrue(CHECK.refusal("trailhound.alerts", VALUE, new RecordHeaders()).orElseThrow().startsWith("unsigned"));

        RecordHeaders unknown = new RecordHeaders();
        new RecordSigner("intruder", OTHER.getPrivate()).sign("trailhound.alerts", VALUE, unknown);
        assertTrue(CHECK.refusal("trailhound.alerts", VALUE, unknown).orElseThrow().contains("unknown key 'intruder'"));

        RecordHeaders forged = new RecordHeaders();
        new RecordSigner("detect-1", OTHER.getPrivate()).sign("trailhound.alerts", VALUE, forged);
        assertTrue(CHECK.refusal("trailhound.alerts", VALUE, forged).orElseThrow().startsWith("bad signature"));

        RecordHeaders replayTopic = new RecordHeaders();
        new RecordSigner("detect-1", DETECT.getPrivate()).sign("trailhound.replay.r1.alerts", VALUE, replayTopic);
        assertTrue(CHECK.refusal("trailhound.alerts", VALUE, replayTopic).orElseThrow().startsWith("bad signature"));

        RecordHeaders good = new RecordHeaders();
        new RecordSigner("detect-1", DETECT.getPrivate()).sign("trailhound.alerts", VALUE, good);
        byte[] changed = VALUE.clone();
        changed[0] ^= 1;
        assertTrue(CHECK.refusal("trailhound.alerts", changed, good).orElseThrow().startsWith("bad signature"));
    }

    @Test
    void shouldSignWhatTheSerializerWroteReplacingEarlierSignatures() {
        RecordHeaders headers = new RecordHeaders();
        new RecordSigner("detect-1", OTHER.getPrivate()).sign("trailhound.alerts", VALUE, headers);
        SigningSerializer<String> serializer = new SigningSerializer<>(new StringSerializer(),
            new RecordSigner("detect-1", DETECT.getPrivate()));
        byte[] bytes = serializer.serialize("trailhound.alerts", headers, "alert bytes");
        assertEquals(Optional.empty(), CHECK.refusal("trailhound.alerts", bytes, headers));
        assertEquals(1, headers.toArray().length / 2, "one signature, one key id");
        assertThrows(UnsupportedOperationException.class, () -> serializer.serialize("trailhound.alerts", "x"));
    }

    @Test
    void shouldRejectKeyIdsThatDoNotReadWell() {
        assertThrows(IllegalArgumentException.class, () -> new RecordSigner("a:b", DETECT.getPrivate()));
        assertThrows(IllegalArgumentException.class, () -> new RecordSignature(Map.of("", DETECT.getPublic())));
    }
}
