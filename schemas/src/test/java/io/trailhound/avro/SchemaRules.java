package io.trailhound.avro;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** The evolution rules our schemas follow, as functions returning the problems they find (empty when the rule holds). */
final class SchemaRules {

    /** Fields that identify a record and so never have a default: a record without one is meaningless. */
    static final Set<String> IDENTITY_FIELDS = Set.of("CloudTrailEvent.eventId", "GuardDutyFinding.findingId", "Alert.alertId",
            "Incident.incidentId", "ResponseAction.actionId", "ApprovalRequest.requestId", "ApprovalDecision.requestId",
            "ApprovalMessage.body");

    private SchemaRules() {
    }

    /** Why {@code reader} cannot read data written with {@code writer}; empty when it can (BACKWARD compatibility). */
    static List<String> backwardProblems(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }

    /** Fields of every record reachable from {@code schema} that have no default and are not identity fields. */
    static List<String> fieldsWithoutDefault(Schema schema) {
        List<String> problems = new ArrayList<>();
        for (Schema record : namedTypes(schema, Schema.Type.RECORD)) {
            for (Schema.Field field : record.getFields()) {
                String name = record.getName() + "." + field.name();
                if (!field.hasDefaultValue() && !IDENTITY_FIELDS.contains(name)) {
                    problems.add(name + " has no default");
                }
            }
        }
        return problems;
    }

    /** Enums reachable from {@code schema} without a default symbol (readers would fail on a symbol added later). */
    static List<String> enumsWithoutDefault(Schema schema) {
        return namedTypes(schema, Schema.Type.ENUM).stream()
                .filter(e -> e.getEnumDefault() == null)
                .map(e -> e.getFullName() + " has no default symbol")
                .toList();
    }

    /** Records, enums and fields reachable from {@code schema} without a doc string. */
    static List<String> undocumented(Schema schema) {
        List<String> problems = new ArrayList<>();
        for (Schema named : namedTypes(schema, null)) {
            if (isBlank(named.getDoc())) {
                problems.add(named.getFullName() + " has no doc");
            }
            if (named.getType() == Schema.Type.RECORD) {
                named.getFields().stream().filter(f -> isBlank(f.doc()))
                        .forEach(f -> problems.add(named.getName() + "." + f.name() + " has no doc"));
            }
        }
        return problems;
    }

    /** Every named type (record, enum, fixed) reachable from {@code schema}, of {@code type} or of any type when null. */
    static List<Schema> namedTypes(Schema schema, Schema.Type type) {
        List<Schema> found = new ArrayList<>();
        collect(schema, new HashSet<>(), found);
        return found.stream().filter(s -> type == null || s.getType() == type).toList();
    }

    private static void collect(Schema schema, Set<String> seen, List<Schema> found) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema);
                    schema.getFields().forEach(f -> collect(f.schema(), seen, found));
                }
            }
            case ENUM, FIXED -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema);
                }
            }
            case ARRAY -> collect(schema.getElementType(), seen, found);
            case MAP -> collect(schema.getValueType(), seen, found);
            case UNION -> schema.getTypes().forEach(t -> collect(t, seen, found));
            default -> {
                // primitives hold nothing named
            }
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
