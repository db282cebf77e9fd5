package io.trailhound.testkit.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.adobe.testing.s3mock.junit5.S3MockExtension;

import io.trailhound.testkit.ComponentExtension;

/**
 * A real, stateful S3 API for tests: Adobe S3Mock inside the test JVM on a random port, with plain-HTTP helpers to seed
 * buckets and objects; point {@code S3Client} at {@link #endpoint()} with {@code forcePathStyle(true)}. A static
 * {@code @RegisterExtension} field keeps one store (and its contents) for the class, an instance field one per test.
 */
public class S3Endpoint extends ComponentExtension {

    /** Spring Boot's switch for its logging system; "none" keeps S3Mock from reconfiguring the test JVM's logging. */
    private static final String SPRING_LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";
    /** Tomcat logs through java.util.logging, which Spring would have bridged; at INFO it prints ~15 lines per start. */
    private static final List<Logger> TOMCAT_LOGGERS = Stream.of("org.apache.catalina", "org.apache.coyote", "org.apache.tomcat")
        .map(Logger::getLogger)
        .toList();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int CREATE_ATTEMPTS = 3;
    private static final Duration CREATE_RETRY_PAUSE = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private S3MockExtension s3Mock;
    private Path root;

    @Override
    protected void start() throws IOException {
        root = Files.createTempDirectory("trailhound-s3mock");
        // Used as a plain starter, not as a JUnit extension: this class owns the lifecycle. Its builder already picks
        // random ports for both of S3Mock's connectors.
        s3Mock = S3MockExtension.builder()
            .withRootFolder(root.toString())
            .withRetainFilesOnExit(false)
            .withRegion(AwsEndpointExtension.REGION)
            // The second connector is HTTPS by default; plain, it skips the TLS setup.
            .withProperty("server.ssl.enabled", "false")
            .withProperty("server.address", "127.0.0.1")
            .silent()
            .build();
        TOMCAT_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
        String loggingSystem = System.getProperty(SPRING_LOGGING_SYSTEM);
        System.setProperty(SPRING_LOGGING_SYSTEM, loggingSystem == null ? "none" : loggingSystem);
        try {
            s3Mock.start();
        } finally {
            if (loggingSystem == null) {
                System.clearProperty(SPRING_LOGGING_SYSTEM);
            }
        }
    }

    @Override
    protected void stop() throws IOException {
        if (s3Mock != null) {
            s3Mock.stop();
            s3Mock = null;
        }
        if (root != null && Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
            root = null;
        }
    }

    /** The base URI to pass to {@code endpointOverride} (plain HTTP). */
    public URI endpoint() {
        requireRunning();
        return URI.create("http://127.0.0.1:" + s3Mock.getHttpPort());
    }

    /** The region S3Mock reports for its buckets. */
    public String region() {
        return AwsEndpointExtension.REGION;
    }

    /** Access key id for the client's static credentials (S3Mock does not check signatures). */
    public String accessKeyId() {
        return AwsEndpointExtension.ACCESS_KEY_ID;
    }

    /** Secret of the client's static credentials. */
    public String secretAccessKey() {
        return AwsEndpointExtension.SECRET_ACCESS_KEY;
    }

    /**
     * Creates a bucket. S3Mock's first answer can take longer than the client's timeout on a loaded machine: up to three
     * attempts, two seconds apart; a 409 after a timed-out attempt means that attempt created the bucket after all.
     */
    public void createBucket(String bucket) {
        for (int attempt = 1; ; attempt++) {
            try {
                send(HttpRequest.newBuilder(objectUri(bucket, "")).PUT(HttpRequest.BodyPublishers.noBody()), "create bucket " + bucket);
                return;
            } catch (UncheckedIOException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
                pause(CREATE_RETRY_PAUSE);
            } catch (IllegalStateException e) {
                if (attempt == 1 || !String.valueOf(e.getMessage()).contains("HTTP 409")) {
                    throw e;
                }
                return;
            }
        }
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to create a bucket again", e);
        }
    }

    /** Stores an object as {@code application/octet-stream}. */
    public void put(String bucket, String key, byte[] content) {
        put(bucket, key, content, "application/octet-stream");
    }

    /** Stores an object with a content type. */
    public void put(String bucket, String key, byte[] content, String contentType) {
        send(HttpRequest.newBuilder(objectUri(bucket, key))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), "put s3://" + bucket + "/" + key);
    }

    /** Reads an object back, byte for byte. */
    public byte[] get(String bucket, String key) {
        return send(HttpRequest.newBuilder(objectUri(bucket, key)).GET(), "get s3://" + bucket + "/" + key);
    }

    /** A path-style URL; each key segment is percent-encoded, the slashes between them kept. */
    private URI objectUri(String bucket, String key) {
        String path = Stream.concat(Stream.of(bucket), key.isEmpty() ? Stream.empty() : Arrays.stream(key.split("/", -1)))
            .map(S3Endpoint::encode)
            .collect(Collectors.joining("/"));
        return URI.create(endpoint() + "/" + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private byte[] send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("S3Mock refused to " + what + ": HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("S3Mock unreachable to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        }
    }
}
