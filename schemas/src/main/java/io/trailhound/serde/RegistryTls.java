package io.trailhound.serde;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Builds the TLS context for HTTPS to the registry from the {@code schema.registry.ssl.*} keys: a trust store for the
 * registry's certificate and, for mutual TLS, a key store with the client certificate.
 */
final class RegistryTls {

    private RegistryTls() {
    }

    /** The configured TLS context, or empty to use the JVM defaults (no trust or key store configured). */
    static Optional<SSLContext> from(AvroSerdeConfig config) {
        String trustStore = config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG);
        String keyStore = config.getString(AvroSerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG);
        if (trustStore == null && keyStore == null) {
            return Optional.empty();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(config, keyStore), trustManagers(config, trustStore), null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS to the schema registry: " + e);
        }
    }

    private static TrustManager[] trustManagers(AvroSerdeConfig config, String location) throws GeneralSecurityException {
        if (location == null) {
            return null;
        }
        KeyStore store = load(location, config.getString(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE_CONFIG),
                config.getPassword(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG), AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyManager[] keyManagers(AvroSerdeConfig config, String location) throws GeneralSecurityException {
        if (location == null) {
            return null;
        }
        Password storePassword = config.getPassword(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD_CONFIG);
        KeyStore store = load(location, config.getString(AvroSerdeConfig.SSL_KEYSTORE_TYPE_CONFIG), storePassword,
                AvroSerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG);
        Password keyPassword = config.getPassword(AvroSerdeConfig.SSL_KEY_PASSWORD_CONFIG);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, chars(keyPassword != null ? keyPassword : storePassword));
        return factory.getKeyManagers();
    }

    private static KeyStore load(String location, String type, Password password, String key) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, chars(password));
            return store;
        } catch (IOException e) {
            // Wrong password and unreadable file both surface here; neither message contains the password.
            throw new ConfigException("Cannot read " + type + " store " + location + " (" + key + "): " + e.getMessage());
        }
    }

    private static char[] chars(Password password) {
        return password == null ? null : password.value().toCharArray();
    }
}
