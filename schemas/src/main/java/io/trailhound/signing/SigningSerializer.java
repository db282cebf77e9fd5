package io.trailhound.signing;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A value serializer that signs what it serialized ({@link RecordSigner}): for producers of alerts and incidents outside
 * Kafka Streams (tests, benchmarks, tools). It needs the record's headers, which every producer passes.
 */
public final class SigningSerializer<T> implements Serializer<T> {

    private final Serializer<T> inner;
    private final RecordSigner signer;

    public SigningSerializer(Serializer<T> inner, RecordSigner signer) {
        this.inner = inner;
        this.signer = signer;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        throw new UnsupportedOperationException("a signed record needs its headers: use serialize(topic, headers, data)");
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        byte[] bytes = inner.serialize(topic, headers, data);
        if (bytes != null) {
            signer.sign(topic, bytes, headers);
        }
        return bytes;
    }

    @Override
    public void close() {
        inner.close();
    }
}
