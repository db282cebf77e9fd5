package io.trailhound.detect.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;

import io.trailhound.serde.RegisteredSchema;
import io.trailhound.serde.SchemaRegistryClient;

/**
 * A schema registry inside the JVM for offline runs ({@code trailhound scan}), where the topology runs without Kafka or a
 * registry; the Avro wire format is the same as live.
 */
public final class LocalSchemaRegistry implements SchemaRegistryClient {

    private final Map<String, List<RegisteredSchema>> subjects = new HashMap<>();
    private final Map<Integer, Schema> byId = new HashMap<>();
    private final Map<Schema, Integer> ids = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        int id = ids.computeIfAbsent(schema, s -> {
            int next = ids.size() + 1;
            byId.put(next, s);
            return next;
        });
        List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (versions.stream().noneMatch(v -> v.id() == id)) {
            versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
        }
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, Schema schema) {
        return subjects.getOrDefault(subject, List.of()).stream().filter(v -> v.schema().equals(schema)).findFirst()
                .orElseThrow(() -> new IllegalStateException("schema not registered under " + subject));
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new IllegalStateException("subject " + subject + " not found");
        }
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new IllegalStateException("schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public String describe() {
        return "[in-process]";
    }
}
