package io.trailhound.avro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.trailhound.serde.TrustedAvroClasses;

/**
 * Schema evolution gate: every top-level schema has released snapshots in src/test/resources/schema-history/NAME/vN.avsc, the
 * latest equals today's schema, and today's generated class can read data written with each of them. To change a schema, add
 * the next vN.avsc in the same commit (the failing test writes it under target/schema-history-proposed).
 */
class SchemaCompatibilityTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path SCHEMAS = MODULE.resolve("src/main/avro");
    private static final Path HISTORY = MODULE.resolve("src/test/resources/schema-history");
    private static final Pattern SNAPSHOT = Pattern.compile("v(\\d+)\\.avsc");

    @Test
    void shouldHaveAHistoryForEveryTopLevelSchemaAndNoOrphanHistory() throws IOException {
        List<String> schemas = topLevelNames();
        List<String> histories;
        try (Stream<Path> dirs = Files.list(HISTORY)) {
            histories = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
        }

        assertFalse(schemas.isEmpty(), "no schemas found under " + SCHEMAS.toAbsolutePath());
        for (String name : schemas) {
            assertTrue(Files.isRegularFile(HISTORY.resolve(name).resolve("v1.avsc")),
                    name + ".avsc has no released snapshot: add schema-history/" + name + "/v1.avsc");
        }
        assertEquals(schemas, histories, "every history belongs to a schema in src/main/avro");
    }

    @TestFactory
    Stream<DynamicTest> shouldReadDataWrittenWithEverySnapshot() throws IOException {
        return topLevelNames().stream().map(name -> dynamicTest(name, () -> {
            Schema current = currentSchema(name);
            List<Schema> snapshots = snapshots(name);
            for (int v = 1; v <= snapshots.size(); v++) {
                List<String> problems = SchemaRules.backwardProblems(current, snapshots.get(v - 1));
                assertEquals(List.of(), problems, name + " cannot read data written with snapshot v" + v);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldSnapshotEveryChangeAsTheNextVersion() throws IOException {
        return topLevelNames().stream().map(name -> dynamicTest(name, () -> {
            Schema current = currentSchema(name);
            List<Schema> snapshots = snapshots(name);
            if (!current.equals(snapshots.get(snapshots.size() - 1))) {
                Path proposed = MODULE.resolve("target/schema-history-proposed").resolve(name).resolve("v" + (snapshots.size() + 1)
                        + ".avsc");
                Files.createDirectories(proposed.getParent());
                Files.writeString(proposed, current.toString(true) + "\n");
                throw new AssertionError(name + " changed since schema-history/" + name + "/v" + snapshots.size() + ".avsc: "
                        + "release the change by copying " + proposed + " to src/test/resources/schema-history/" + name + "/");
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveEveryNonIdentityFieldADefault() throws IOException {
        return topLevelNames().stream().map(name -> dynamicTest(name, () ->
                assertEquals(List.of(), SchemaRules.fieldsWithoutDefault(currentSchema(name)))));
    }

    @TestFactory
    Stream<DynamicTest> shouldGiveEveryEnumADefaultSymbol() throws IOException {
        return topLevelNames().stream().map(name -> dynamicTest(name, () ->
                assertEquals(List.of(), SchemaRules.enumsWithoutDefault(currentSchema(name)))));
    }

    @TestFactory
    Stream<DynamicTest> shouldDocumentEveryRecordEnumAndField() throws IOException {
        return topLevelNames().stream().map(name -> dynamicTest(name, () ->
                assertEquals(List.of(), SchemaRules.undocumented(currentSchema(name)))));
    }

    @Test
    void shouldReportANewFieldWithoutDefaultAsIncompatible() throws IOException {
        Schema v1 = snapshots("Alert").get(0);
        Schema v2 = new Schema.Parser().parse(withNewField(Files.readString(HISTORY.resolve("Alert/v1.avsc")), ""));

        List<String> problems = SchemaRules.backwardProblems(v2, v1);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("READER_FIELD_MISSING_DEFAULT_VALUE"), problems.get(0));
        assertTrue(problems.get(0).contains("tenantId"), problems.get(0));
        assertEquals(List.of("Alert.tenantId has no default"), SchemaRules.fieldsWithoutDefault(v2));
    }

    @Test
    void shouldAcceptTheSameNewFieldWithADefault() throws IOException {
        Schema v1 = snapshots("Alert").get(0);
        Schema v2 = new Schema.Parser().parse(withNewField(Files.readString(HISTORY.resolve("Alert/v1.avsc")), ", \"default\": null"));

        assertEquals(List.of(), SchemaRules.backwardProblems(v2, v1));
        assertEquals(List.of(), SchemaRules.fieldsWithoutDefault(v2));
    }

    @Test
    void shouldFillDefaultsWhenTheCurrentClassReadsDataFromBeforeAFieldExisted() throws IOException {
        Schema older = new Schema.Parser().parse(Files.readString(HISTORY.resolve("Alert/v1.avsc"))
                .replaceFirst("(?s)\\{\\s*\"name\" : \"baselineContext\".*?\"default\" : null\\s*}, ", ""));
        assertNull(older.getField("baselineContext"), "the older schema lacks the field");
        GenericRecord written = new GenericData.Record(older);
        written.put("alertId", "a-1");
        older.getFields().stream().filter(Schema.Field::hasDefaultValue)
                .forEach(f -> written.put(f.name(), GenericData.get().getDefaultValue(f)));

        Alert read = readAsCurrentClass(written, older);

        assertEquals("a-1", read.getAlertId());
        assertNull(read.getBaselineContext());
        assertEquals(Mode.REPLAY, read.getMode(), "a record without mode is never treated as live");
    }

    private static Alert readAsCurrentClass(GenericRecord record, Schema writer) throws IOException {
        TrustedAvroClasses.install();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        SpecificDatumReader<Alert> reader = new SpecificDatumReader<>(writer, Alert.getClassSchema(),
                SpecificData.getForClass(Alert.class));
        return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static String withNewField(String schemaJson, String defaultPart) {
        String field = "{\"name\": \"tenantId\", \"type\": [\"null\", \"string\"], \"doc\": \"Tenant.\"" + defaultPart + "}, ";
        return schemaJson.replaceFirst("\"fields\" : \\[ ", Matcher.quoteReplacement("\"fields\" : [ " + field));
    }

    private static List<String> topLevelNames() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".avsc"))
                    .map(f -> f.substring(0, f.length() - ".avsc".length())).sorted().toList();
        }
    }

    private static Schema currentSchema(String name) {
        try {
            Class<?> type = Class.forName("io.trailhound.avro." + name);
            Schema schema = SpecificData.get().getSchema(type);
            assertNotNull(schema, name);
            return schema;
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + ".avsc generated no class io.trailhound.avro." + name, e);
        }
    }

    /** Snapshots v1..vN in order; fails when one does not parse or a version number is skipped. */
    private static List<Schema> snapshots(String name) {
        List<Schema> snapshots = new ArrayList<>();
        for (int v = 1; Files.exists(HISTORY.resolve(name).resolve("v" + v + ".avsc")); v++) {
            try {
                snapshots.add(new Schema.Parser().parse(HISTORY.resolve(name).resolve("v" + v + ".avsc").toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (Stream<Path> files = Files.list(HISTORY.resolve(name))) {
            long count = files.filter(f -> SNAPSHOT.matcher(f.getFileName().toString()).matches()).count();
            assertEquals(count, snapshots.size(), name + ": snapshot versions must run v1, v2, ... without gaps");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snapshots;
    }
}
