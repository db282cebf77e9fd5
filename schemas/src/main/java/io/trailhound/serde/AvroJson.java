package io.trailhound.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro records as natural JSON and back, driven only by the record's schema: the one JSON form of our records, so that
 * {@code trailhound scan} prints, {@code trailhound plan} reads and {@code tail --format json} prints exactly the fields the
 * live pipeline carries, and a field added to a schema needs no code here.
 *
 * <p>Writing: every field in schema order; a union as {@code null} or its value (no type wrapper, unlike Avro's own JSON
 * encoding); an enum as its symbol; {@code timestamp-millis} as ISO-8601 text; a map as an object; bytes and fixed as Base64.
 *
 * <p>Reading, with the class's schema as writer schema: a missing field takes its schema default (an error names it when it
 * has none); unknown fields are ignored; an enum symbol the schema does not know reads as the enum's default, as in Avro's
 * schema resolution (a newer writer); a timestamp may also be epoch milliseconds; a value of the wrong type is an
 * {@link IllegalArgumentException} naming the field's path. A JSON object in a union of several records goes to the record
 * whose field names it uses most (first on a tie).
 */
public final class AvroJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TIMESTAMP_MILLIS = "timestamp-millis";
    private static final int SHOWN_VALUE = 60;

    private AvroJson() {
    }

    /** {@code record} as one line of JSON. */
    public static String write(IndexedRecord record) {
        return tree(record).toString();
    }

    /** {@code record} as a JSON object, for callers that add to it or embed it. */
    public static ObjectNode tree(IndexedRecord record) {
        return (ObjectNode) json(record, record.getSchema(), record.getSchema().getName());
    }

    /**
     * Reads one JSON object into {@code type}.
     *
     * @throws IllegalArgumentException when the text is not a JSON object or a field cannot be read (the message names it)
     */
    public static <T extends SpecificRecord> T read(String json, Class<T> type) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        return read(node, type);
    }

    /**
     * Reads a JSON object into {@code type}.
     *
     * @throws IllegalArgumentException when {@code json} is not an object or a field cannot be read (the message names it)
     */
    public static <T extends SpecificRecord> T read(JsonNode json, Class<T> type) {
        Schema schema = schemaOf(type);
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("expected a JSON object for " + schema.getName() + ", was " + shown(json));
        }
        return specific(datum(json, schema, schema.getName()), schema, type);
    }

    // ---- writing: Avro datum (specific or generic) -> JSON

    private static JsonNode json(Object value, Schema schema, String path) {
        return switch (schema.getType()) {
            case NULL -> NODES.nullNode();
            case RECORD -> record((IndexedRecord) value, schema, path);
            case UNION -> json(value, branchOf(value, schema, path), path);
            case ENUM, STRING -> NODES.textNode(value.toString());
            case ARRAY -> array((Collection<?>) value, schema.getElementType(), path);
            case MAP -> map((Map<?, ?>) value, schema.getValueType(), path);
            case LONG -> isTimestamp(schema) ? NODES.textNode(instant(value).toString()) : NODES.numberNode((Long) value);
            case INT -> NODES.numberNode((Integer) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(bytes((ByteBuffer) value)));
            case FIXED -> NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
        };
    }

    private static ObjectNode record(IndexedRecord record, Schema schema, String path) {
        ObjectNode node = NODES.objectNode();
        for (Field field : schema.getFields()) {
            node.set(field.name(), json(record.get(field.pos()), field.schema(), path + "." + field.name()));
        }
        return node;
    }

    private static ArrayNode array(Collection<?> values, Schema element, String path) {
        ArrayNode node = NODES.arrayNode();
        int i = 0;
        for (Object value : values) {
            node.add(json(value, element, path + "[" + i++ + "]"));
        }
        return node;
    }

    private static ObjectNode map(Map<?, ?> values, Schema valueType, String path) {
        ObjectNode node = NODES.objectNode();
        values.forEach((key, value) -> node.set(key.toString(), json(value, valueType, path + "." + key)));
        return node;
    }

    /** The branch of {@code union} that holds {@code value}: a specific record's values use Java types, a generic's Avro's. */
    private static Schema branchOf(Object value, Schema union, String path) {
        for (Schema branch : union.getTypes()) {
            if (holds(branch, value)) {
                return branch;
            }
        }
        throw new IllegalArgumentException(path + ": no branch of " + union + " holds a " + value.getClass().getName());
    }

    private static boolean holds(Schema branch, Object value) {
        return switch (branch.getType()) {
            case NULL -> value == null;
            case RECORD, ENUM, FIXED -> value instanceof GenericContainer c && c.getSchema().getFullName().equals(branch.getFullName());
            case STRING -> value instanceof CharSequence;
            case LONG -> value instanceof Long || value instanceof Instant && isTimestamp(branch);
            case INT -> value instanceof Integer;
            case FLOAT -> value instanceof Float;
            case DOUBLE -> value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            case ARRAY -> value instanceof Collection;
            case MAP -> value instanceof Map;
            case BYTES -> value instanceof ByteBuffer;
            case UNION -> false;
        };
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i : Instant.ofEpochMilli((Long) value);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    // ---- reading: JSON -> generic datum with Avro's own types, then the specific class through Avro binary

    private static Object datum(JsonNode node, Schema schema, String path) {
        return switch (schema.getType()) {
            case NULL -> node.isNull() ? null : mismatch(path, "null", node);
            case RECORD -> record(node, schema, path);
            case UNION -> union(node, schema, path);
            case ENUM -> symbol(node, schema, path);
            case ARRAY -> list(node, schema.getElementType(), path);
            case MAP -> map(node, schema.getValueType(), path);
            case STRING -> node.isTextual() ? node.asText() : mismatch(path, "a string", node);
            case LONG -> isTimestamp(schema) ? timestamp(node, path) : integral(node, path).longValue();
            case INT -> node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : mismatch(path, "an int", node);
            case FLOAT -> (float) floating(node, path);
            case DOUBLE -> floating(node, path);
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : mismatch(path, "true or false", node);
            case BYTES -> ByteBuffer.wrap(base64(node, path));
            case FIXED -> fixed(node, schema, path);
        };
    }

    private static GenericData.Record record(JsonNode node, Schema schema, String path) {
        if (!node.isObject()) {
            return mismatch(path, "an object", node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            String fieldPath = path + "." + field.name();
            if (value != null) {
                record.put(field.pos(), datum(value, field.schema(), fieldPath));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
            } else {
                throw new IllegalArgumentException(fieldPath + ": missing, and the schema gives it no default");
            }
        }
        return record;
    }

    private static Object union(JsonNode node, Schema union, String path) {
        Schema best = null;
        int bestFit = -1;
        for (Schema branch : union.getTypes()) {
            int fit = fit(node, branch);
            if (fit > bestFit) {
                best = branch;
                bestFit = fit;
            }
        }
        if (best == null) {
            return mismatch(path, "one of " + union.getTypes().stream().map(Schema::getName).toList(), node);
        }
        return datum(node, best, path);
    }

    /** How well {@code node} fits {@code branch}: negative when it cannot, for a record the number of its fields it names. */
    private static int fit(JsonNode node, Schema branch) {
        boolean fits = switch (branch.getType()) {
            case NULL -> node.isNull();
            case RECORD -> node.isObject();
            case MAP -> node.isObject();
            case ARRAY -> node.isArray();
            case STRING, ENUM, BYTES, FIXED -> node.isTextual();
            case LONG -> node.isIntegralNumber() && node.canConvertToLong() || node.isTextual() && isTimestamp(branch);
            case INT -> node.isIntegralNumber() && node.canConvertToInt();
            case FLOAT, DOUBLE -> node.isNumber();
            case BOOLEAN -> node.isBoolean();
            case UNION -> false;
        };
        if (!fits) {
            return -1;
        }
        return branch.getType() == Schema.Type.RECORD ? (int) branch.getFields().stream().filter(f -> node.has(f.name())).count() : 0;
    }

    private static Object symbol(JsonNode node, Schema schema, String path) {
        if (!node.isTextual()) {
            return mismatch(path, "one of " + schema.getEnumSymbols(), node);
        }
        if (schema.hasEnumSymbol(node.asText())) {
            return new GenericData.EnumSymbol(schema, node.asText());
        }
        if (schema.getEnumDefault() != null) {
            return new GenericData.EnumSymbol(schema, schema.getEnumDefault());
        }
        return mismatch(path, "one of " + schema.getEnumSymbols(), node);
    }

    private static List<Object> list(JsonNode node, Schema element, String path) {
        if (!node.isArray()) {
            return mismatch(path, "an array", node);
        }
        List<Object> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            values.add(datum(node.get(i), element, path + "[" + i + "]"));
        }
        return values;
    }

    private static Map<String, Object> map(JsonNode node, Schema valueType, String path) {
        if (!node.isObject()) {
            return mismatch(path, "an object", node);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), datum(e.getValue(), valueType, path + "." + e.getKey())));
        return values;
    }

    private static long timestamp(JsonNode node, String path) {
        if (!node.isTextual()) {
            return integral(node, path).longValue();
        }
        try {
            return Instant.parse(node.asText()).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return mismatch(path, "an ISO-8601 time or epoch milliseconds", node);
        }
    }

    private static Number integral(JsonNode node, String path) {
        return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : mismatch(path, "a whole number", node);
    }

    /** A number; also the texts Jackson writes for the values JSON has no number for (NaN, Infinity, -Infinity). */
    private static double floating(JsonNode node, String path) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return switch (node.isTextual() ? node.asText() : "") {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> mismatch(path, "a number", node);
        };
    }

    private static GenericData.Fixed fixed(JsonNode node, Schema schema, String path) {
        byte[] bytes = base64(node, path);
        return bytes.length == schema.getFixedSize() ? new GenericData.Fixed(schema, bytes)
                : mismatch(path, schema.getFixedSize() + " bytes in Base64", node);
    }

    private static byte[] base64(JsonNode node, String path) {
        try {
            return node.isTextual() ? Base64.getDecoder().decode(node.asText()) : mismatch(path, "Base64 text", node);
        } catch (IllegalArgumentException e) {
            return mismatch(path, "Base64 text", node);
        }
    }

    private static <T> T mismatch(String path, String expected, JsonNode node) {
        throw new IllegalArgumentException(path + ": expected " + expected + ", was " + shown(node));
    }

    private static String shown(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() <= SHOWN_VALUE ? text : text.substring(0, SHOWN_VALUE) + "...";
    }

    private static boolean isTimestamp(Schema schema) {
        return schema.getLogicalType() != null && TIMESTAMP_MILLIS.equals(schema.getLogicalType().getName());
    }

    private static Schema schemaOf(Class<? extends SpecificRecord> type) {
        try {
            return type.getDeclaredConstructor().newInstance().getSchema();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(type.getName() + " is not a generated Avro record class", e);
        }
    }

    /** The generic datum as {@code type}, through Avro binary so that the class's own conversions (Instant...) apply. */
    private static <T> T specific(Object datum, Schema schema, Class<T> type) {
        TrustedAvroClasses.install();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<>(schema, GenericData.get()).write(datum, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
