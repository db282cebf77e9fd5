package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.GuardDutyFinding;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;

/** The compiled writer writes exactly Avro's bytes: random and sampled records of every top-level schema, generic and specific. */
class CompiledDatumWriterTest {

    private static final List<Class<? extends SpecificRecord>> TOP_LEVEL = List.of(Alert.class, Incident.class, ResponseAction.class,
            CloudTrailEvent.class, GuardDutyFinding.class, ApprovalMessage.class);
    private static final int RANDOM_RECORDS = 200;

    @TestFactory
    List<DynamicTest> shouldWriteAvrosBytesForRandomRecordsOfEverySchemaGenericAndSpecific() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : TOP_LEVEL) {
            tests.add(dynamicTest(type.getSimpleName(), () -> {
                Schema schema = SpecificData.get().getSchema(type);
                SpecificData model = SpecificData.getForClass(type);
                int specifics = 0;
                for (Object datum : new RandomData(GenericData.get(), schema, RANDOM_RECORDS, 42L + type.getName().hashCode(), false)) {
                    // raw longs under logical types, enum symbols, generic records: no conversion applies
                    assertArrayEquals(avro(schema, model, datum), compiled(schema, model, datum), "generic " + datum);
                    SpecificRecord specific = SchemaSamples.specific(datum, schema, type);
                    // Instants, Java enums, generated classes: the model's conversions apply
                    assertArrayEquals(avro(schema, model, specific), compiled(schema, model, specific), "specific " + specific);
                    specifics++;
                }
                assertEquals(RANDOM_RECORDS, specifics);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> shouldWriteAvrosBytesForSamplesWithOptionalFieldsNullAndSetOnEveryUnionBranch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : TOP_LEVEL) {
            Schema schema = SpecificData.get().getSchema(type);
            SpecificData model = SpecificData.getForClass(type);
            tests.add(dynamicTest(type.getSimpleName() + " with nulls", () -> {
                SpecificRecord sample = SchemaSamples.sample(type, schema, SchemaSamples.Fill.NULLS, 0);
                assertArrayEquals(avro(schema, model, sample), compiled(schema, model, sample));
            }));
            for (int branch = 0; branch < SchemaSamples.branches(schema); branch++) {
                int b = branch;
                tests.add(dynamicTest(type.getSimpleName() + " set, union branch " + b, () -> {
                    SpecificRecord sample = SchemaSamples.sample(type, schema, SchemaSamples.Fill.SET, b);
                    assertArrayEquals(avro(schema, model, sample), compiled(schema, model, sample));
                }));
            }
        }
        return tests;
    }

    @Test
    void shouldWriteAUnionOfSeveralTypesAsTheModelResolvesIt() {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "U", "fields": [
                  {"name": "v", "type": ["null", "int", "string", {"type": "array", "items": "long"}]},
                  {"name": "w", "type": ["string", "null"]}]}""");
        for (Object v : new Object[] {null, 7, "seven", List.of(7L, 8L)}) {
            for (Object w : new Object[] {null, "x"}) {
                GenericData.Record record = new GenericData.Record(schema);
                record.put("v", v);
                record.put("w", w);
                assertArrayEquals(avro(schema, GenericData.get(), record), compiled(schema, GenericData.get(), record), v + ", " + w);
            }
        }
    }

    @Test
    void shouldNameTheFieldOfANullWhereTheSchemaAllowsNone() {
        Alert alert = SchemaSamples.sample(Alert.class, Alert.getClassSchema(), SchemaSamples.Fill.NULLS, 0);
        alert.put("ruleId", null);
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> compiled(Alert.getClassSchema(), SpecificData.getForClass(Alert.class), alert));
        assertTrue(e.getMessage().contains("null value for (non-nullable) string in field Alert.ruleId"), e.getMessage());
    }

    private static byte[] avro(Schema schema, GenericData model, Object datum) {
        return write(new SpecificDatumWriter<>(schema, model instanceof SpecificData s ? s : new SpecificData()), datum);
    }

    private static byte[] compiled(Schema schema, GenericData model, Object datum) {
        return write(new CompiledDatumWriter<>(schema, model), datum);
    }

    private static byte[] write(DatumWriter<Object> writer, Object datum) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            writer.write(datum, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
