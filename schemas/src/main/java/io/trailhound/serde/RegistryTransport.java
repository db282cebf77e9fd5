package io.trailhound.serde;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one HTTP request to the schema registry with retries: I/O errors and 5xx answers are retried with jittered exponential
 * backoff, moving to the next configured URL each time; 4xx answers fail at once with the registry's error code and message.
 */
final class RegistryTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, "
            + "application/json; qs=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);

    private final List<URI> urls;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private final HttpClient http;
    private final AtomicInteger preferred = new AtomicInteger();

    RegistryTransport(List<URI> urls, Optional<String> userInfo, Optional<SSLContext> tls, Duration timeout, RetryPolicy retryPolicy) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.urls = List.copyOf(urls);
        this.authorization = userInfo.map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        this.timeout = timeout;
        this.retryPolicy = retryPolicy;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout);
        tls.ifPresent(builder::sslContext);
        this.http = builder.build();
        LOG.info("Schema registry client for {} (basic auth {}, TLS {}, {} retries, timeout {} ms)", this.urls,
                authorization.isPresent() ? "on" : "off", tls.isPresent() ? "configured" : "default", retryPolicy.retries(),
                timeout.toMillis());
    }

    List<URI> urls() {
        return urls;
    }

    /** The response body of a 2xx answer to {@code method path}, sending {@code body} as JSON when not null. */
    String send(String method, String path, String body) {
        RegistryAnswer lastAnswer = null;
        Exception lastError = null;
        for (int attempt = 1; attempt <= retryPolicy.attempts(); attempt++) {
            int index = preferred.get();
            URI url = urls.get(Math.floorMod(index, urls.size()));
            try {
                HttpResponse<String> response = http.send(request(url, method, path, body), HttpResponse.BodyHandlers.ofString());
                RegistryAnswer answer = RegistryAnswer.of(response.statusCode(), response.body());
                if (answer.isSuccess()) {
                    return response.body();
                }
                if (!answer.isServerError()) {
                    throw answer.toException(method, path, url, attempt);
                }
                lastAnswer = answer;
                lastError = null;
                LOG.warn("Schema registry {} answered {} {} with HTTP {} (attempt {}/{})", url, method, path, answer.status(), attempt,
                        retryPolicy.attempts());
            } catch (IOException e) {
                lastError = e;
                lastAnswer = null;
                LOG.warn("Schema registry {} unreachable for {} {} (attempt {}/{}): {}", url, method, path, attempt,
                        retryPolicy.attempts(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted while calling the schema registry " + urls + " for " + method + " "
                        + path, 0, 0, attempt, urls, e);
            }
            preferred.compareAndSet(index, index + 1);
            pauseBeforeRetry(attempt);
        }
        throw exhausted(method, path, lastAnswer, lastError);
    }

    private HttpRequest request(URI base, String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stripTrailingSlash(base.toString()) + path))
                .timeout(timeout)
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private void pauseBeforeRetry(int attempt) {
        if (attempt >= retryPolicy.attempts()) {
            return;
        }
        try {
            Thread.sleep(retryPolicy.delayBefore(attempt, ThreadLocalRandom.current()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while waiting to retry the schema registry " + urls, 0, 0, attempt, urls, e);
        }
    }

    private SchemaRegistryException exhausted(String method, String path, RegistryAnswer lastAnswer, Exception lastError) {
        int attempts = retryPolicy.attempts();
        String what = method + " " + path + " failed after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + " against " + urls;
        if (lastAnswer != null) {
            return new SchemaRegistryException("Schema registry error: " + what + "; last answer " + lastAnswer.describe(),
                    lastAnswer.status(), lastAnswer.errorCode(), attempts, urls, null);
        }
        return new SchemaRegistryException("Schema registry unreachable: " + what + ": " + lastError, 0, 0, attempts, urls, lastError);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
