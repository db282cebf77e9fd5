package io.trailhound.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Typed configuration of the Avro serdes and their schema registry client. Keys are Confluent's where Confluent has one, so
 * a producer or consumer config can switch between our serdes and Confluent's by changing only the serializer class.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of the schema registry's Confluent REST API, "
            + "e.g. http://127.0.0.1:8081 or http://host:8080/apis/ccompat/v7; the next is tried when one is unreachable. "
            + "Required unless a SchemaRegistryClient is passed in.";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers the record's schema under the subject; "
            + "when false it only looks the schema up and fails if it is not registered.";

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String USE_LATEST_VERSION_DOC = "With auto.register.schemas=false, write with the subject's latest "
            + "registered schema (which must be able to read the record's schema) instead of looking up the record's own schema.";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where basic-auth credentials for the registry come from: "
            + "URL (user:password@ in schema.registry.url, if present) or USER_INFO (basic.auth.user.info).";

    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    public static final String BASIC_AUTH_USER_INFO_DOC = "Registry credentials as user:password, used when "
            + "basic.auth.credentials.source=USER_INFO; never logged.";

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_READER_DOC = "Deserialize into generated SpecificRecord classes; only true is "
            + "supported (the key exists so that configs shared with Confluent's deserializer are accepted).";

    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String KEY_SUBJECT_NAME_STRATEGY_DOC = "Subject naming for keys; only TopicNameStrategy (<topic>-key) "
            + "is supported.";

    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_DOC = "Subject naming for values; only TopicNameStrategy (<topic>-value) "
            + "is supported.";

    public static final String LATEST_CACHE_TTL_SEC_CONFIG = "latest.cache.ttl.sec";
    public static final String LATEST_CACHE_TTL_SEC_DOC = "How long the latest version of a subject is cached for "
            + "use.latest.version, in seconds; -1 caches it until restart.";

    public static final String SSL_TRUSTSTORE_LOCATION_CONFIG = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_LOCATION_DOC = "Trust store file for HTTPS to the registry; the JVM's default "
            + "trust store when unset.";
    public static final String SSL_TRUSTSTORE_PASSWORD_CONFIG = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_PASSWORD_DOC = "Password of the registry trust store.";
    public static final String SSL_TRUSTSTORE_TYPE_CONFIG = "schema.registry.ssl.truststore.type";
    public static final String SSL_TRUSTSTORE_TYPE_DOC = "Format of the registry trust store: JKS or PKCS12.";
    public static final String SSL_KEYSTORE_LOCATION_CONFIG = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_LOCATION_DOC = "Key store file with the client certificate for mutual TLS to the "
            + "registry; no client certificate when unset.";
    public static final String SSL_KEYSTORE_PASSWORD_CONFIG = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_PASSWORD_DOC = "Password of the registry key store.";
    public static final String SSL_KEYSTORE_TYPE_CONFIG = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEYSTORE_TYPE_DOC = "Format of the registry key store: JKS or PKCS12.";
    public static final String SSL_KEY_PASSWORD_CONFIG = "schema.registry.ssl.key.password";
    public static final String SSL_KEY_PASSWORD_DOC = "Password of the private key in the key store; the key store password "
            + "when unset.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "Timeout of one registry request (connect and response), in milliseconds.";
    public static final String RETRIES_CONFIG = "schema.registry.retries";
    public static final String RETRIES_DOC = "How many times a registry request is retried after an I/O error or HTTP 5xx "
            + "(0 to 10); 4xx answers are never retried.";
    public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MS_DOC = "Backoff before the first retry, in milliseconds; doubles on each retry, "
            + "with jitter.";
    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "schema.registry.retry.backoff.max.ms";
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "Upper bound of the backoff between retries, in milliseconds.";
    public static final String CACHE_CAPACITY_CONFIG = "schema.registry.cache.capacity";
    public static final String CACHE_CAPACITY_DOC = "Most schemas and ids each client cache keeps (least recently used are "
            + "evicted).";

    /** The TopicNameStrategy as Confluent names it; the simple name is accepted too. */
    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";

    private static final String URL_SOURCE = "URL";
    private static final String USER_INFO_SOURCE = "USER_INFO";
    private static final List<String> OWN_PREFIXES = List.of("schema.registry.", "basic.auth.");
    private static final ConfigDef CONFIG = define(new ConfigDef());

    /**
     * Parses and validates serde configuration.
     *
     * @param originals the producer, consumer or streams configuration; unrelated keys are ignored
     * @throws ConfigException when a value is invalid, a required value is missing, or a registry key is unknown
     */
    public AvroSerdeConfig(Map<String, ?> originals) {
        super(CONFIG, originals, false);
        rejectUnknownRegistryKeys(originals);
        validateCombinations();
    }

    /** A copy of the definition of every key, e.g. for documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Registry base URLs without any user info, in configured order; empty when none is configured. */
    public List<URI> registryUrls() {
        List<URI> urls = new ArrayList<>();
        for (String url : getList(SCHEMA_REGISTRY_URL_CONFIG)) {
            URI uri = URI.create(url.trim());
            urls.add(uri.getUserInfo() == null ? uri : withoutUserInfo(uri));
        }
        return List.copyOf(urls);
    }

    /** Basic-auth credentials as user:password, from the configured source; empty when there are none. */
    public Optional<String> basicAuthUserInfo() {
        if (USER_INFO_SOURCE.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            return Optional.of(getPassword(BASIC_AUTH_USER_INFO_CONFIG).value());
        }
        return getList(SCHEMA_REGISTRY_URL_CONFIG).stream()
                .map(url -> URI.create(url.trim()).getRawUserInfo())
                .filter(info -> info != null && !info.isEmpty())
                .findFirst()
                .map(info -> URLDecoder.decode(info, StandardCharsets.UTF_8));
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG));
    }

    public RetryPolicy retryPolicy() {
        return new RetryPolicy(getInt(RETRIES_CONFIG), Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG)),
                Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS_CONFIG)));
    }

    public int cacheCapacity() {
        return getInt(CACHE_CAPACITY_CONFIG);
    }

    /** How long a subject's latest version stays cached; empty means until restart. */
    public Optional<Duration> latestCacheTtl() {
        long seconds = getLong(LATEST_CACHE_TTL_SEC_CONFIG);
        return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    private static ConfigDef define(ConfigDef def) {
        defineSerdeKeys(def);
        defineSslKeys(def);
        return def
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 10_000, Range.between(1, 600_000), Importance.LOW, REQUEST_TIMEOUT_MS_DOC)
            .define(RETRIES_CONFIG, Type.INT, 3, Range.between(0, 10), Importance.LOW, RETRIES_DOC)
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, 100L, Range.between(0, 60_000), Importance.LOW, RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, 5_000L, Range.between(0, 300_000), Importance.LOW,
                    RETRY_BACKOFF_MAX_MS_DOC)
            .define(CACHE_CAPACITY_CONFIG, Type.INT, 1_000, Range.between(1, 1_000_000), Importance.LOW, CACHE_CAPACITY_DOC)
            .define(LATEST_CACHE_TTL_SEC_CONFIG, Type.LONG, -1L, Range.atLeast(-1), Importance.LOW, LATEST_CACHE_TTL_SEC_DOC);
    }

    private static void defineSerdeKeys(ConfigDef def) {
        def.define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, "", AvroSerdeConfig::validateUrls, Importance.HIGH,
                    SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, URL_SOURCE, ValidString.in(URL_SOURCE, USER_INFO_SOURCE),
                    Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, null, AvroSerdeConfig::validateUserInfo, Importance.MEDIUM,
                    BASIC_AUTH_USER_INFO_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, true, AvroSerdeConfig::validateSpecificReader, Importance.LOW,
                    SPECIFIC_AVRO_READER_DOC)
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, TOPIC_NAME_STRATEGY, AvroSerdeConfig::validateStrategy,
                    Importance.LOW, KEY_SUBJECT_NAME_STRATEGY_DOC)
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, TOPIC_NAME_STRATEGY, AvroSerdeConfig::validateStrategy,
                    Importance.LOW, VALUE_SUBJECT_NAME_STRATEGY_DOC);
    }

    private static void defineSslKeys(ConfigDef def) {
        ValidString storeTypes = ValidString.in("JKS", "PKCS12");
        def.define(SSL_TRUSTSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM, SSL_TRUSTSTORE_LOCATION_DOC)
            .define(SSL_TRUSTSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_TRUSTSTORE_PASSWORD_DOC)
            .define(SSL_TRUSTSTORE_TYPE_CONFIG, Type.STRING, "JKS", storeTypes, Importance.LOW, SSL_TRUSTSTORE_TYPE_DOC)
            .define(SSL_KEYSTORE_LOCATION_CONFIG, Type.STRING, null, Importance.MEDIUM, SSL_KEYSTORE_LOCATION_DOC)
            .define(SSL_KEYSTORE_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_KEYSTORE_PASSWORD_DOC)
            .define(SSL_KEYSTORE_TYPE_CONFIG, Type.STRING, "JKS", storeTypes, Importance.LOW, SSL_KEYSTORE_TYPE_DOC)
            .define(SSL_KEY_PASSWORD_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, SSL_KEY_PASSWORD_DOC);
    }

    private static void validateUrls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        for (String url : urls) {
            String problem = urlProblem(url.trim());
            if (problem != null) {
                // The value may carry credentials (user:password@host), so the message shows it masked.
                throw new ConfigException("Invalid value " + masked(url.trim()) + " for configuration " + name + ": " + problem);
            }
        }
    }

    private static String urlProblem(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return "the URL must start with http:// or https://";
            }
            if (uri.getHost() == null) {
                return "the URL has no host";
            }
            return uri.getQuery() != null || uri.getFragment() != null ? "the URL must not have a query or fragment" : null;
        } catch (URISyntaxException e) {
            return "not a URL (" + e.getReason() + ")";
        }
    }

    private static void validateUserInfo(String name, Object value) {
        if (value != null && !((Password) value).value().isEmpty() && !((Password) value).value().contains(":")) {
            throw new ConfigException("Invalid value [hidden] for configuration " + name + ": expected user:password");
        }
    }

    private static void validateSpecificReader(String name, Object value) {
        if (Boolean.FALSE.equals(value)) {
            throw new ConfigException(name, value, "only specific records are supported; remove the key or set it to true");
        }
    }

    private static void validateStrategy(String name, Object value) {
        String strategy = String.valueOf(value).trim();
        if (!strategy.equals("TopicNameStrategy") && !strategy.endsWith(".TopicNameStrategy")) {
            throw new ConfigException(name, value, "only TopicNameStrategy is supported (subject <topic>-key / <topic>-value)");
        }
    }

    private void rejectUnknownRegistryKeys(Map<String, ?> originals) {
        Set<String> unknown = new TreeSet<>();
        for (String key : originals.keySet()) {
            if (OWN_PREFIXES.stream().anyMatch(key::startsWith) && !CONFIG.names().contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("Unknown schema registry configuration " + unknown + "; supported keys: "
                    + new TreeSet<>(CONFIG.names()));
        }
    }

    private void validateCombinations() {
        if (USER_INFO_SOURCE.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))
                && (getPassword(BASIC_AUTH_USER_INFO_CONFIG) == null || getPassword(BASIC_AUTH_USER_INFO_CONFIG).value().isEmpty())) {
            throw new ConfigException(BASIC_AUTH_USER_INFO_CONFIG + " must be set (user:password) when "
                    + BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + "=" + USER_INFO_SOURCE);
        }
        if (getLong(RETRY_BACKOFF_MAX_MS_CONFIG) < getLong(RETRY_BACKOFF_MS_CONFIG)) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS_CONFIG + " (" + getLong(RETRY_BACKOFF_MAX_MS_CONFIG)
                    + ") must not be below " + RETRY_BACKOFF_MS_CONFIG + " (" + getLong(RETRY_BACKOFF_MS_CONFIG) + ")");
        }
        if (useLatestVersion() && autoRegisterSchemas()) {
            throw new ConfigException(USE_LATEST_VERSION_CONFIG + "=true needs " + AUTO_REGISTER_SCHEMAS_CONFIG
                    + "=false: a serializer either registers the record's schema or writes with the latest registered one");
        }
        boolean keyStore = getString(SSL_KEYSTORE_LOCATION_CONFIG) != null;
        if (keyStore && getPassword(SSL_KEYSTORE_PASSWORD_CONFIG) == null) {
            throw new ConfigException(SSL_KEYSTORE_PASSWORD_CONFIG + " must be set when " + SSL_KEYSTORE_LOCATION_CONFIG + " is set");
        }
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new ConfigException("Invalid value " + masked(uri.toString()) + " for configuration "
                    + SCHEMA_REGISTRY_URL_CONFIG + ": " + e.getReason());
        }
    }

    /** The URL with any user info replaced by ***, safe to log. */
    static String masked(String url) {
        return url.replaceFirst("//[^/@]*@", "//***@");
    }
}
