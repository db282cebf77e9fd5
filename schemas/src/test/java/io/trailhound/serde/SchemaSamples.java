package io.trailhound.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Records built by walking their schema, so that a field added to a schema is in every sample without a change here: either
 * every optional (nullable) field null, or every one set, taking the {@code branch}-th non-null branch of each union (a
 * union of several records gets one sample per branch). Values differ from field to field and include text JSON must escape.
 */
final class SchemaSamples {

    /** Whether a sample leaves its nullable fields null or sets them. */
    enum Fill { NULLS, SET }

    private static final long SOME_TIME = 1_764_288_600_250L;

    private final Fill fill;
    private final int branch;
    private int counter;

    private SchemaSamples(Fill fill, int branch) {
        this.fill = fill;
        this.branch = branch;
    }

    /** A sample of {@code type}. */
    static <T extends SpecificRecord> T sample(Class<T> type, Schema schema, Fill fill, int branch) {
        return specific(new SchemaSamples(fill, branch).value(schema), schema, type);
    }

    /** The most non-null branches any union reachable from {@code schema} has: how many SET samples cover every branch. */
    static int branches(Schema schema) {
        return branches(schema, new ArrayList<>());
    }

    private static int branches(Schema schema, List<String> seen) {
        return switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    yield 1;
                }
                seen.add(schema.getFullName());
                yield schema.getFields().stream().mapToInt(f -> branches(f.schema(), seen)).max().orElse(1);
            }
            case UNION -> Math.max((int) schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).count(),
                    schema.getTypes().stream().mapToInt(s -> branches(s, seen)).max().orElse(1));
            case ARRAY -> branches(schema.getElementType(), seen);
            case MAP -> branches(schema.getValueType(), seen);
            default -> 1;
        };
    }

    private Object value(Schema schema) {
        int n = ++counter;
        return switch (schema.getType()) {
            case RECORD -> record(schema);
            case UNION -> union(schema);
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(n % schema.getEnumSymbols().size()));
            case ARRAY -> list(schema.getElementType());
            case MAP -> map(schema.getValueType());
            case STRING -> "v" + n + " \"quoted\" \\ é ✓\n\t<&>";
            case LONG -> schema.getLogicalType() != null ? SOME_TIME + n * 1_001L : (1L << 40) + n;
            case INT -> -n;
            case FLOAT -> n + 0.5f;
            case DOUBLE -> n + 0.25;
            case BOOLEAN -> n % 2 == 0;
            case BYTES -> ByteBuffer.wrap(("b" + n).getBytes(StandardCharsets.UTF_8));
            case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
            case NULL -> null;
        };
    }

    private GenericData.Record record(Schema schema) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Field field : schema.getFields()) {
            record.put(field.pos(), value(field.schema()));
        }
        return record;
    }

    private Object union(Schema union) {
        List<Schema> values = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (fill == Fill.NULLS && values.size() < union.getTypes().size()) {
            return null;
        }
        return value(values.get(branch % values.size()));
    }

    /** Two elements when set; one when nulls, so that the nulls inside array elements are covered too. */
    private List<Object> list(Schema element) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            values.add(value(element));
        }
        return values;
    }

    private Map<String, Object> map(Schema valueType) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            values.put("key " + counter + "/" + i, value(valueType));
        }
        return values;
    }

    private int size() {
        return fill == Fill.SET ? 2 : 1;
    }

    /** {@code record} in Avro binary: equal bytes, equal fields. */
    static byte[] binary(SpecificRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new SpecificDatumWriter<>(record.getSchema(), SpecificData.getForSchema(record.getSchema())).write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generic datum as the generated class, through Avro binary (Avro's own path, independent of the code under test). */
    static <T> T specific(Object datum, Schema schema, Class<T> type) {
        TrustedAvroClasses.install();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
