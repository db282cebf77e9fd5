package io.trailhound.detect.topology;

import java.util.Optional;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.trailhound.signing.RecordSigner;

/**
 * The last step before the alerts and incidents sinks (#19): serializes the record for its sink topic and signs those exact
 * bytes ({@link RecordSigner}), so the responder can tell the pipeline's records from anyone else's. The record leaves with
 * fresh headers holding only the signature: nothing inherited from the input is carried over, and no header object is
 * shared with another forwarded record. It runs in the task's transaction like any processor, so exactly-once holds; only
 * alerts and incidents pay for a signature, never every event. Without a signer (scans, replays, development) the bytes
 * leave unsigned.
 *
 * @param <V> the record type
 */
final class SignedRecords<V> implements Processor<String, V, String, byte[]> {

    private final String topic;
    private final Serializer<V> serializer;
    private final Optional<RecordSigner> signer;
    private ProcessorContext<String, byte[]> context;

    /**
     * @param topic      the sink topic the bytes are written to (the serializer's subject, and bound into the signature)
     * @param serializer the value serializer of that topic
     * @param signer     the detection pipeline's signing key, or empty
     */
    SignedRecords(String topic, Serializer<V> serializer, Optional<RecordSigner> signer) {
        this.topic = topic;
        this.serializer = serializer;
        this.signer = signer;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, V> record) {
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = serializer.serialize(topic, headers, record.value());
        if (bytes != null) {
            signer.ifPresent(s -> s.sign(topic, bytes, headers));
        }
        context.forward(record.withValue(bytes).withHeaders(headers));
    }
}
