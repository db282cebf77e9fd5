package io.trailhound.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Re-encodes Avro binary written with one schema as binary of another schema that can read it (Avro schema resolution), so a
 * serializer can write with a subject's latest registered schema when its own class is older.
 */
final class SchemaProjection {

    private final GenericDatumReader<Object> reader;
    private final GenericDatumWriter<Object> writer;

    private SchemaProjection(Schema from, Schema to) {
        this.reader = new GenericDatumReader<>(from, to);
        this.writer = new GenericDatumWriter<>(to);
    }

    /**
     * A projection from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException naming the incompatibilities when {@code to} cannot read data written with {@code from}
     */
    static SchemaProjection between(Schema from, Schema to) {
        SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(to, from);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IllegalArgumentException(compatibility.getResult().getIncompatibilities().toString());
        }
        return new SchemaProjection(from, to);
    }

    byte[] project(byte[] avroBinary) {
        try {
            Object value = reader.read(null, DecoderFactory.get().binaryDecoder(avroBinary, null));
            ByteArrayOutputStream out = new ByteArrayOutputStream(avroBinary.length + 16);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
