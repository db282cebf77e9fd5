package io.trailhound.topic;

import java.util.Map;
import java.util.TreeMap;

import io.trailhound.serde.AvroSerdeConfig;

/**
 * The connection settings every Trailhound service and command passes to each Kafka client and to the schema registry serdes
 * it creates (#19): the bootstrap address plus Kafka's security settings ({@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}, {@code security.providers}, and {@code config.providers*} so secrets can come from mounted files), and
 * the registry's URL, TLS, basic-auth and retry settings. One place picks them, so no client is built from the bootstrap
 * address alone and fails against a cluster that requires TLS and SASL.
 */
public final class ClientSettings {

    /** Kafka's bootstrap setting. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

    private ClientSettings() {
    }

    /** Whether {@code key} is a Kafka client connection or security setting. */
    public static boolean isKafkaConnection(String key) {
        return key.equals(BOOTSTRAP_SERVERS) || key.equals("security.protocol") || key.equals("security.providers")
            || key.startsWith("sasl.") || key.startsWith("ssl.") || key.startsWith("config.providers");
    }

    /** Whether {@code key} is a setting of the schema registry client (URL, TLS, basic auth, retries, timeouts). */
    public static boolean isRegistry(String key) {
        return key.startsWith("schema.registry.") || key.equals(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG)
            || key.equals(AvroSerdeConfig.BASIC_AUTH_USER_INFO_CONFIG);
    }

    /** The Kafka connection and security settings of {@code settings} (values as given; passwords stay as they are). */
    public static Map<String, Object> kafka(Map<String, ?> settings) {
        Map<String, Object> out = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (value != null && isKafkaConnection(key)) {
                out.put(key, value);
            }
        });
        return out;
    }

    /** {@link #kafka(Map)} plus {@code more} (which wins), for one client. */
    public static Map<String, Object> kafka(Map<String, ?> settings, Map<String, ?> more) {
        Map<String, Object> out = kafka(settings);
        out.putAll(more);
        return out;
    }

    /** The schema registry settings of {@code settings}: what the Avro serdes and the registry client are configured with. */
    public static Map<String, Object> registry(Map<String, ?> settings) {
        Map<String, Object> out = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (value != null && isRegistry(key)) {
                out.put(key, value);
            }
        });
        return out;
    }
}
