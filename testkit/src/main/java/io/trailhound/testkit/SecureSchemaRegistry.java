package io.trailhound.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A schema registry that requires TLS and HTTP basic authentication, as a production registry behind its ingress does (#19):
 * an HTTPS front (self-signed certificate for {@code localhost}/{@code 127.0.0.1}) that refuses a request without the right
 * {@code Authorization: Basic} header with 401 and forwards every other one, method, path, query, body and content headers,
 * to a real registry over plain HTTP. Clients reach the registry only through it.
 */
public final class SecureSchemaRegistry implements AutoCloseable {

    private static final List<String> FORWARDED = List.of("Content-Type", "Accept");

    private final Path dir;
    private final TestCertificates certificates;
    private final String upstream;
    private final String path;
    private final Map<String, String> users;
    private final HttpsServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "secure-registry");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger refused = new AtomicInteger();

    private SecureSchemaRegistry(Path dir, TestCertificates certificates, String upstreamUrl, Map<String, String> users)
            throws IOException {
        this.dir = dir;
        this.certificates = certificates;
        URI url = URI.create(upstreamUrl);
        this.upstream = url.getScheme() + "://" + url.getRawAuthority();
        this.path = url.getRawPath();
        this.users = Map.copyOf(users);
        this.server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls(certificates.keystore())));
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /**
     * Starts the TLS + basic-auth front for the registry at {@code upstreamUrl} (e.g. a {@link SchemaRegistryExtension}'s URL),
     * accepting the users {@code users} (name → password).
     */
    public static SecureSchemaRegistry start(String upstreamUrl, Map<String, String> users) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("trailhound-secure-registry-");
        return new SecureSchemaRegistry(dir, TestCertificates.create(dir, "registry"), upstreamUrl, users);
    }

    /** The HTTPS URL of the registry's API, same path as the upstream URL. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /**
     * What a Trailhound client needs to use the registry as {@code user}: the URL, basic auth from user info, and the PKCS12
     * trust store holding this front's certificate (the keys the serdes and {@code ClientSettings.registry} read).
     */
    public Map<String, String> clientSettings(String user, String password) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("schema.registry.url", url());
        settings.put("basic.auth.credentials.source", "USER_INFO");
        settings.put("basic.auth.user.info", user + ":" + password);
        settings.put("schema.registry.ssl.truststore.location", certificates.truststore().toString());
        settings.put("schema.registry.ssl.truststore.password", TestCertificates.STORE_PASSWORD);
        settings.put("schema.registry.ssl.truststore.type", "PKCS12");
        return settings;
    }

    /** {@link #clientSettings(String, String)} of a user this front was started with. */
    public Map<String, String> clientSettings(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no registry user " + user + "; users: " + users.keySet());
        }
        return clientSettings(user, password);
    }

    /** How many requests were refused for missing or wrong credentials. */
    public int refused() {
        return refused.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"trailhound-registry\"");
                byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            HttpResponse<byte[]> answer = forward(exchange);
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            byte[] body = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
            .timeout(Duration.ofSeconds(30))
            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : FORWARDED) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length()).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon > 0 && decoded.substring(colon + 1).equals(users.get(decoded.substring(0, colon)));
    }

    private static SSLContext tls(Path keystore) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, TestCertificates.STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot load the registry's key store " + keystore, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
