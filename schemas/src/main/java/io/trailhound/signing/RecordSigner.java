package io.trailhound.signing;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Objects;

import org.apache.kafka.common.header.Headers;

/**
 * Signs the records the detection pipeline emits on {@code trailhound.alerts} and {@code trailhound.incidents}, so the
 * responder can tell them from records anyone else wrote: an Ed25519 signature over {@link RecordSignature#message} (the
 * topic and the record's value bytes) in the {@link RecordSignature#SIGNATURE} header, the key's id in
 * {@link RecordSignature#KEY_ID}.
 */
public final class RecordSigner {

    private final String keyId;
    private final byte[] keyIdBytes;
    private final PrivateKey key;

    /**
     * @param keyId the id the responder knows the public key by ({@code responder.alerts.trusted.keys})
     * @param key   the private key
     */
    public RecordSigner(String keyId, PrivateKey key) {
        RecordSignature.checkKeyId(keyId);
        this.keyId = keyId;
        this.keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
        this.key = Objects.requireNonNull(key, "key");
    }

    /** The id of the signing key. */
    public String keyId() {
        return keyId;
    }

    /** Replaces any signature headers in {@code headers} with this key's signature of {@code value} written to {@code topic}. */
    public void sign(String topic, byte[] value, Headers headers) {
        byte[] signature = Ed25519Keys.sign(key, RecordSignature.message(topic, value));
        headers.remove(RecordSignature.SIGNATURE).remove(RecordSignature.KEY_ID)
            .add(RecordSignature.SIGNATURE, signature)
            .add(RecordSignature.KEY_ID, keyIdBytes);
    }
}
