package io.trailhound.detect.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import io.trailhound.serde.TrustedAvroClasses;

/**
 * A record as a topic between two stages gives it to the next: written in Avro binary and read back into a new object, with the
 * class's own model (timestamps to the millisecond, maps and arrays as Avro reads them), as the live topology's repartition
 * and sink topics do. Used where the scan's output must equal the live topology's: the alerts entering the incident stage and
 * the alerts and incidents it emits. Not thread-safe.
 *
 * @param <T> the record type
 */
final class AvroCopy<T extends SpecificRecord> {

    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    AvroCopy(Class<T> type) {
        TrustedAvroClasses.install();
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    /** The record's bytes read back; null stays null. */
    T copy(T value) {
        if (value == null) {
            return null;
        }
        try {
            buffer.reset();
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writer.write(value, encoder);
            encoder.flush();
            byte[] bytes = buffer.toByteArray();
            decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
            return reader.read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
