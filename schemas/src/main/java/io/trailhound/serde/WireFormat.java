package io.trailhound.serde;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the writer schema's registry id as a 4-byte big-endian int, then the Avro binary
 * encoding of the record.
 */
public final class WireFormat {

    /** First byte of every record in this format. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** The 5-byte header for schema id {@code schemaId}. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * The writer schema id of {@code payload}, after checking that it is in this format.
     *
     * @throws SerializationException when the payload is too short or does not start with the magic byte
     */
    public static int schemaId(String topic, byte[] payload) {
        if (payload.length < HEADER_LENGTH) {
            throw new SerializationException("Truncated payload on topic " + topic + ": " + payload.length
                    + " bytes, but the wire format needs at least " + HEADER_LENGTH + " (magic byte + 4-byte schema id)");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format("Unknown magic byte 0x%02x (%d) on topic %s: expected 0x00, so this is "
                    + "not Confluent-wire-format Avro (plain JSON starts with 0x7b '{')", payload[0] & 0xff, payload[0] & 0xff, topic));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
