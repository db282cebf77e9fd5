package io.trailhound.signing;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The signature of a record emitted by the detection pipeline, and its check by the responder. Signed message, version 1:
 * {@code "trailhound/record/v1"}, the topic name and the record's value bytes exactly as written (Confluent wire format,
 * schema id included), each length-prefixed (see {@link CanonicalBytes}); binding the topic means a record signed for a
 * replay topic or for {@code trailhound.incidents} does not verify on {@code trailhound.alerts}. Headers:
 * {@value #SIGNATURE} (the 64 signature bytes) and {@value #KEY_ID} (UTF-8 key id).
 */
public final class RecordSignature {

    /** Header carrying the Ed25519 signature bytes. */
    public static final String SIGNATURE = "trailhound.signature";
    /** Header carrying the signing key's id, UTF-8. */
    public static final String KEY_ID = "trailhound.signature.key";
    /** The domain tag, first field of the signed message. */
    public static final String DOMAIN = "trailhound/record/v1";

    private final Map<String, PublicKey> trusted;

    /** A check accepting signatures by the keys of {@code trusted}, by key id. */
    public RecordSignature(Map<String, PublicKey> trusted) {
        trusted.keySet().forEach(RecordSignature::checkKeyId);
        this.trusted = Map.copyOf(trusted);
    }

    /** The message signed for {@code value} written to {@code topic}. */
    public static byte[] message(String topic, byte[] value) {
        return new CanonicalBytes().text(DOMAIN).text(topic).bytes(value).toByteArray();
    }

    /** Why a record of {@code topic} with {@code value} and {@code headers} is not trusted, or empty when a trusted key signed it. */
    public Optional<String> refusal(String topic, byte[] value, Headers headers) {
        Header signature = headers.lastHeader(SIGNATURE);
        Header keyId = headers.lastHeader(KEY_ID);
        if (signature == null || keyId == null || signature.value() == null || keyId.value() == null) {
            return Optional.of("unsigned: no " + SIGNATURE + "/" + KEY_ID + " headers");
        }
        String id = new String(keyId.value(), StandardCharsets.UTF_8);
        PublicKey key = trusted.get(id);
        if (key == null) {
            return Optional.of("signed by unknown key '" + printable(id) + "' (trusted: " + trusted.keySet() + ")");
        }
        if (!Ed25519Keys.verify(key, message(topic, value), signature.value())) {
            return Optional.of("bad signature: key '" + id + "' did not sign this record for " + topic);
        }
        return Optional.empty();
    }

    /** Key ids are short printable names without separators, so they read well in config and audit lines. */
    static void checkKeyId(String keyId) {
        if (keyId == null || !keyId.matches("[A-Za-z0-9._@-]{1,64}")) {
            throw new IllegalArgumentException("key id must be 1-64 of A-Z a-z 0-9 . _ @ -, was: " + keyId);
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
