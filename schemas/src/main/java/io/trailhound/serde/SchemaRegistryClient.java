package io.trailhound.serde;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * The few schema registry operations the serdes need, over Confluent's REST API. Implementations from {@link #create} cache
 * answers, so one client should be shared by all serdes of an application.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (a no-op if it is already registered there).
     *
     * @return the schema's global id
     * @throws SchemaRegistryException e.g. HTTP 409 when the schema is incompatible with the subject's compatibility level
     */
    int register(String subject, Schema schema);

    /**
     * Looks up {@code schema} under {@code subject} without registering it.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isNotFound()} when it is not registered there
     */
    RegisteredSchema lookup(String subject, Schema schema);

    /** The latest version registered under {@code subject}. */
    RegisteredSchema latest(String subject);

    /**
     * The schema with global id {@code id}.
     *
     * @throws SchemaRegistryException with error code 40403 when no schema has that id
     */
    Schema schemaById(int id);

    /** Registry URLs this client talks to, without credentials, for error messages. */
    String describe();

    /** A caching client over HTTP, configured by {@link AvroSerdeConfig} keys. */
    static SchemaRegistryClient create(Map<String, ?> configs) {
        return create(new AvroSerdeConfig(configs));
    }

    /** A caching client over HTTP. */
    static SchemaRegistryClient create(AvroSerdeConfig config) {
        if (config.registryUrls().isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
                    + "\": the schema registry base URL, e.g. http://127.0.0.1:8081");
        }
        RegistryTransport transport = new RegistryTransport(config.registryUrls(), config.basicAuthUserInfo(),
                RegistryTls.from(config), config.requestTimeout(), config.retryPolicy());
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(transport), config.cacheCapacity(),
                config.latestCacheTtl());
    }
}
