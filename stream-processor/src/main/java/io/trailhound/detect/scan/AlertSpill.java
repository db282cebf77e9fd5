package io.trailhound.detect.scan;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * The final state of every alert of a scan, in the order first raised, kept on disk instead of in the heap (#16: heap within
 * 1 GB for 10 M records): each state is appended to a temporary file in Avro binary, and only the position of each alert's
 * latest state is held (a few dozen bytes per alert). Reading back gives each alert as Avro reads it, as the alerts topic
 * would. Takes no incidents. Not thread-safe; {@link #close()} deletes the file.
 */
public final class AlertSpill implements OfflineScan.Output, AutoCloseable {

    private final Path file;
    private final OutputStream out;
    private final SpecificDatumWriter<Alert> writer;
    private final SpecificDatumReader<Alert> reader;
    private final Map<String, Integer> index = new HashMap<>();
    private final Spilled buffer = new Spilled();
    private BinaryEncoder encoder;
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private long written;

    /** A spill in a new temporary file. */
    public AlertSpill() {
        TrustedAvroClasses.install();
        SpecificData model = SpecificData.getForClass(Alert.class);
        this.writer = new SpecificDatumWriter<>(Alert.getClassSchema(), model);
        this.reader = new SpecificDatumReader<>(Alert.getClassSchema(), Alert.getClassSchema(), model);
        try {
            this.file = Files.createTempFile("trailhound-scan-alerts-", ".avro");
            file.toFile().deleteOnExit();
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scan's alert spill file", e);
        }
    }

    @Override
    public void alert(Alert alert) {
        try {
            buffer.reset();
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writer.write(alert, encoder);
            encoder.flush();
            int n = index.size();
            Integer seq = index.putIfAbsent(alert.getAlertId(), n);
            int at = seq == null ? n : seq;
            if (at == offsets.length) {
                offsets = Arrays.copyOf(offsets, at * 2);
                lengths = Arrays.copyOf(lengths, at * 2);
            }
            offsets[at] = written;
            lengths[at] = buffer.size();
            out.write(buffer.bytes(), 0, buffer.size());
            written += buffer.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the scan's alert spill file " + file, e);
        }
    }

    @Override
    public void incident(Incident incident) {
        // not kept
    }

    @Override
    public boolean wantsIncidents() {
        return false;
    }

    /** The pipeline may hand its alerts over without a copy: they are written here and read back. */
    @Override
    public boolean copiesAlerts() {
        return true;
    }

    /** Alerts kept. */
    public int size() {
        return index.size();
    }

    /** Every alert's final state, in the order first raised. */
    public void forEach(Consumer<Alert> each) {
        try {
            out.flush();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                BinaryDecoder decoder = null;
                ByteBuffer bytes = ByteBuffer.allocate(4096);
                for (int i = 0; i < index.size(); i++) {
                    if (bytes.capacity() < lengths[i]) {
                        bytes = ByteBuffer.allocate(lengths[i] * 2);
                    }
                    bytes.clear().limit(lengths[i]);
                    long at = offsets[i];
                    while (bytes.hasRemaining()) {
                        int n = channel.read(bytes, at + bytes.position());
                        if (n < 0) {
                            throw new IOException("the spill file ended early");
                        }
                    }
                    decoder = DecoderFactory.get().binaryDecoder(bytes.array(), 0, lengths[i], decoder);
                    each.accept(reader.read(null, decoder));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scan's alert spill file " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover temporary file is deleted on exit
        }
    }

    /** A byte array output stream whose array is read in place. */
    private static final class Spilled extends java.io.ByteArrayOutputStream {
        Spilled() {
            super(4096);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
