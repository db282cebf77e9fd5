package io.trailhound.signing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The unambiguous byte form signed data is written in: a sequence of fields, each its length as a 4-byte big-endian
 * unsigned integer followed by its bytes (text as UTF-8, numbers as decimal text). No two different field sequences
 * give the same bytes, whatever the fields contain (a newline or a separator inside a value cannot forge another field).
 */
final class CanonicalBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** Appends a text field; null is written as the empty text. */
    CanonicalBytes text(String value) {
        return bytes(value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends a number field, as its decimal text. */
    CanonicalBytes number(long value) {
        return text(Long.toString(value));
    }

    /** Appends a field of raw bytes. */
    CanonicalBytes bytes(byte[] value) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
