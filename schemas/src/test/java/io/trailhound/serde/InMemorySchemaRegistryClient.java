package io.trailhound.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;

/** A registry in memory for unit tests: global ids, versions per subject, Confluent's not-found error codes, call counters. */
final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    final AtomicInteger registerCalls = new AtomicInteger();
    final AtomicInteger lookupCalls = new AtomicInteger();
    final AtomicInteger byIdCalls = new AtomicInteger();
    private final Map<String, List<RegisteredSchema>> subjects = new HashMap<>();
    private final Map<Integer, Schema> byId = new HashMap<>();
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        registerCalls.incrementAndGet();
        List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        for (RegisteredSchema version : versions) {
            if (version.schema().equals(schema)) {
                return version.id();
            }
        }
        int id = idOf(schema);
        versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        lookupCalls.incrementAndGet();
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null) {
            throw notFound(SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions.stream().filter(v -> v.schema().equals(schema)).findFirst()
                .orElseThrow(() -> notFound(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null) {
            throw notFound(SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        byIdCalls.incrementAndGet();
        Schema schema = byId.get(id);
        if (schema == null) {
            throw notFound(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public String describe() {
        return "[memory://test]";
    }

    private int idOf(Schema schema) {
        for (Map.Entry<Integer, Schema> entry : byId.entrySet()) {
            if (entry.getValue().equals(schema)) {
                return entry.getKey();
            }
        }
        int id = nextId++;
        byId.put(id, schema);
        return id;
    }

    private static SchemaRegistryException notFound(int errorCode, String message) {
        return new SchemaRegistryException("Schema registry memory://test rejected the request: HTTP 404, error code " + errorCode
                + ": " + message, 404, errorCode, 1, List.of(), null);
    }
}
