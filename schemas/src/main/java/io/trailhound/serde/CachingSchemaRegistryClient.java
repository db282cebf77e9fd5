package io.trailhound.serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.avro.Schema;

/**
 * Caches another client's answers: ids by subject and schema, schemas by id (both immutable in a registry, so kept until
 * evicted), and each subject's latest version for a configurable time. Failures are never cached.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    /** Lookups after a 409, a 5xx or no answer on register, waiting 50, 100, 150... ms between them, before the failure stands. */
    private static final int CONCURRENT_LOOKUPS = 8;

    private final SchemaRegistryClient delegate;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final BoundedCache<SubjectSchema, RegisteredSchema> lookups;
    private final BoundedCache<Integer, Schema> schemasById;
    private final BoundedCache<String, Expiring> latestBySubject;
    private final Optional<Duration> latestTtl;
    private final Clock clock;

    /**
     * @param delegate  the client whose answers are cached
     * @param capacity  most entries per cache
     * @param latestTtl how long a latest version is cached; empty for as long as it is not evicted
     */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Optional<Duration> latestTtl) {
        this(delegate, capacity, latestTtl, Clock.systemUTC());
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Optional<Duration> latestTtl, Clock clock) {
        this.delegate = delegate;
        this.idsBySubjectSchema = new BoundedCache<>(capacity);
        this.lookups = new BoundedCache<>(capacity);
        this.schemasById = new BoundedCache<>(capacity);
        this.latestBySubject = new BoundedCache<>(capacity);
        this.latestTtl = latestTtl;
        this.clock = clock;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id;
        try {
            id = delegate.register(subject, schema);
        } catch (SchemaRegistryException e) {
            id = registeredMeanwhile(subject, schema, e);
        }
        idsBySubjectSchema.put(key, id);
        schemasById.put(id, schema);
        return id;
    }

    /**
     * A 409 on register can mean that another client (a second stream thread starting at the same moment) created the subject
     * with this very schema first, and the registry (Apicurio 2.x over H2) can even answer a concurrent creation of the same
     * content with a 500 (unique index violation), or keep it waiting on a table lock past the client's timeout (no answer,
     * though the creation may well have been applied): in each case, when the schema is then found under the subject, its id
     * is the answer. Any other failure, or a schema that is still not there, is the original failure.
     */
    private int registeredMeanwhile(String subject, Schema schema, SchemaRegistryException failure) {
        boolean noAnswer = failure.httpStatus() == 0;
        if (failure.httpStatus() != 409 && failure.httpStatus() < 500 && !noAnswer) {
            throw failure;
        }
        // the other client's creation can take a moment to become visible: a few short waits, then the original failure
        for (int attempt = 1; attempt <= CONCURRENT_LOOKUPS; attempt++) {
            try {
                return delegate.lookup(subject, schema).id();
            } catch (SchemaRegistryException notThere) {
                if (attempt == CONCURRENT_LOOKUPS) {
                    failure.addSuppressed(notThere);
                    throw failure;
                }
                pause(Duration.ofMillis(50L * attempt));
            }
        }
        throw failure;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        RegisteredSchema cached = lookups.get(key);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema found = delegate.lookup(subject, schema);
        lookups.put(key, found);
        idsBySubjectSchema.put(key, found.id());
        schemasById.put(found.id(), schema);
        return found;
    }

    @Override
    public RegisteredSchema latest(String subject) {
        Expiring cached = latestBySubject.get(subject);
        Instant now = clock.instant();
        if (cached != null && (cached.expiresAt() == null || now.isBefore(cached.expiresAt()))) {
            return cached.value();
        }
        RegisteredSchema latest = delegate.latest(subject);
        latestBySubject.put(subject, new Expiring(latest, latestTtl.map(now::plus).orElse(null)));
        schemasById.put(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema schema = delegate.schemaById(id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record Expiring(RegisteredSchema value, Instant expiresAt) {
    }
}
