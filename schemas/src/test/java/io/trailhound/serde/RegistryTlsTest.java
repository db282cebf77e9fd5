package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.avro.Alert;

/** HTTPS to the registry with the schema.registry.ssl.* keys: server trust, mutual TLS, and clear errors for bad stores. */
class RegistryTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static HttpsServer server;

    @BeforeAll
    static void startHttpsRegistry() throws Exception {
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", path("server.p12"));
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=trailhound",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", path("client.p12"));
        keytool("-exportcert", "-alias", "registry", "-keystore", path("server.p12"), "-file", path("server.crt"));
        keytool("-exportcert", "-alias", "client", "-keystore", path("client.p12"), "-file", path("client.crt"));
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", path("server.crt"), "-storetype", "PKCS12",
                "-keystore", path("client-trust.p12"));
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", path("client.crt"), "-storetype", "PKCS12",
                "-keystore", path("server-trust.p12"));

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SSLContext context = serverContext();
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopHttpsRegistry() {
        server.stop(0);
    }

    @Test
    void shouldTalkMutualTlsWithTrustAndKeyStores() {
        Map<String, Object> config = config();
        config.put(AvroSerdeConfig.SSL_KEYSTORE_LOCATION_CONFIG, path("client.p12"));
        config.put(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD_CONFIG, PASSWORD);
        config.put(AvroSerdeConfig.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");

        assertEquals(7, SchemaRegistryClient.create(config).register("s-value", Alert.getClassSchema()));
    }

    @Test
    void shouldFailWithoutTheClientCertificateTheRegistryRequires() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> SchemaRegistryClient.create(config()).register("s-value", Alert.getClassSchema()));

        assertTrue(e.isUnreachable(), e.getMessage());
    }

    @Test
    void shouldNameTheStoreWhenItsPasswordIsWrong() {
        Map<String, Object> config = config();
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG, "wrong-password");

        ConfigException e = assertThrows(ConfigException.class, () -> SchemaRegistryClient.create(config));

        assertTrue(e.getMessage().contains(path("client-trust.p12")), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-password"), e.getMessage());
    }

    private static Map<String, Object> config() {
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
        Map<String, Object> config = RestSchemaRegistryClientTest.config(url, 0);
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION_CONFIG, path("client-trust.p12"));
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD_CONFIG, PASSWORD);
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return config;
    }

    private static SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load("server.p12"), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("server-trust.p12"));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(String file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String path(String file) {
        return dir.resolve(file).toString();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", PASSWORD));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
