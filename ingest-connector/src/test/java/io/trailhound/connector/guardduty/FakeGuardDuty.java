package io.trailhound.connector.guardduty;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A small stateful GuardDuty behind WireMock, speaking its REST-JSON protocol: ListDetectors per region (taken from the
 * request's SigV4 credential scope), ListFindings with an {@code updatedAt >= n} criterion sorted by {@code updatedAt} and
 * paged by position (as an offset-style token does, so findings updated between pages shift), GetFindings, and a
 * 403 AccessDeniedException or a number of 429 TooManyRequestsException answers for an operation on demand. Findings
 * update in place: same id, new updatedAt, higher count.
 */
public final class FakeGuardDuty implements ResponseDefinitionTransformerV2 {

    /** One finding's current version. */
    public record Finding(String detector, String id, String account, long updatedAt, long count, boolean sample) {
    }

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LIST = Pattern.compile("/detector/([^/]+)/findings");
    private static final Pattern GET = Pattern.compile("/detector/([^/]+)/findings/get");
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d+/([^/]+)/guardduty/");

    private final Map<String, List<String>> detectorsByRegion = new LinkedHashMap<>();
    private final Map<String, Finding> findings = new LinkedHashMap<>();
    private final AtomicInteger lists = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();
    private volatile IntConsumer afterList = n -> { };
    private volatile BiConsumer<Integer, List<String>> beforeGet = (n, ids) -> { };
    private volatile String denied;
    private volatile String throttled;
    private final AtomicInteger throttles = new AtomicInteger();
    private volatile int delayMs;

    @Override
    public String getName() {
        return "fake-guardduty";
    }

    /** Forgets everything (between tests). */
    public synchronized void reset() {
        detectorsByRegion.clear();
        findings.clear();
        lists.set(0);
        gets.set(0);
        afterList = n -> { };
        beforeGet = (n, ids) -> { };
        denied = null;
        throttled = null;
        throttles.set(0);
        delayMs = 0;
    }

    public synchronized void detector(String region, String detector) {
        detectorsByRegion.computeIfAbsent(region, r -> new ArrayList<>()).add(detector);
    }

    /** Creates or updates a finding in place. */
    public synchronized void put(Finding finding) {
        findings.put(finding.detector() + "/" + finding.id(), finding);
    }

    /** Updates a finding in place: new updatedAt, count + 1. */
    synchronized Finding update(String detector, String id, long updatedAt) {
        Finding old = findings.get(detector + "/" + id);
        Finding updated = new Finding(detector, id, old.account(), updatedAt, old.count() + 1, old.sample());
        put(updated);
        return updated;
    }

    synchronized List<Finding> all() {
        return List.copyOf(findings.values());
    }

    /** The findings of {@code detector} in ListFindings order at this moment. */
    synchronized List<Finding> sorted(String detector) {
        return findings.values().stream().filter(f -> f.detector().equals(detector))
            .sorted(Comparator.comparingLong(Finding::updatedAt).thenComparing(Finding::id)).toList();
    }

    /** Runs after the n-th ListFindings answer (1-based) was computed, before it is sent. */
    void afterList(IntConsumer hook) {
        afterList = hook;
    }

    /** Runs before the n-th GetFindings answer (1-based) is computed, with the ids asked for. */
    void beforeGet(BiConsumer<Integer, List<String>> hook) {
        beforeGet = hook;
    }

    void deny(String operation) {
        denied = operation;
    }

    /** Answers the next {@code times} calls of {@code operation} with 429 TooManyRequestsException, as GuardDuty throttles. */
    void throttle(String operation, int times) {
        throttles.set(times);
        throttled = operation;
    }

    /** How many throttling answers are still to be sent. */
    int throttlesLeft() {
        return Math.max(0, throttles.get());
    }

    void delay(int millis) {
        delayMs = millis;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        String path = request.getUrl().replaceAll("\\?.*", "");
        try {
            Matcher get = GET.matcher(path);
            Matcher list = LIST.matcher(path);
            if ("/detector".equals(path)) {
                return answer("ListDetectors", () -> listDetectors(request));
            } else if (get.matches()) {
                return answer("GetFindings", () -> getFindings(get.group(1), JSON.readTree(request.getBodyAsString())));
            } else if (list.matches()) {
                return answer("ListFindings", () -> listFindings(list.group(1), JSON.readTree(request.getBodyAsString())));
            }
            return serveEvent.getResponseDefinition();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Body {
        String get() throws Exception;
    }

    private ResponseDefinition answer(String operation, Body body) throws Exception {
        ResponseDefinitionBuilder response = ResponseDefinitionBuilder.responseDefinition().withFixedDelay(delayMs)
            .withHeader("Content-Type", "application/json").withHeader("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (operation.equals(denied)) {
            return response.withStatus(403).withHeader("x-amzn-ErrorType", "AccessDeniedException")
                .withBody("{\"message\":\"User: arn:aws:iam::111122223333:user/trailhound is not authorized to perform: guardduty:"
                    + operation + "\",\"__type\":\"AccessDeniedException\"}").build();
        }
        if (operation.equals(throttled) && throttles.getAndDecrement() > 0) {
            return response.withStatus(429).withHeader("x-amzn-ErrorType", "TooManyRequestsException")
                .withBody("{\"message\":\"Rate exceeded\",\"__type\":\"TooManyRequestsException\"}").build();
        }
        return response.withStatus(200).withBody(body.get()).build();
    }

    private synchronized String listDetectors(Request request) throws Exception {
        Matcher scope = SCOPE.matcher(String.valueOf(request.getHeader("Authorization")));
        String region = scope.find() ? scope.group(1) : "";
        return JSON.writeValueAsString(Map.of("detectorIds", detectorsByRegion.getOrDefault(region, List.of())));
    }

    private String listFindings(String detector, JsonNode body) throws Exception {
        String answer;
        synchronized (this) {
            long since = body.at("/findingCriteria/criterion/updatedAt/greaterThanOrEqual").asLong(0);
            int max = body.path("maxResults").asInt(50);
            int from = body.hasNonNull("nextToken") ? Integer.parseInt(body.get("nextToken").asText()) : 0;
            List<String> ids = sorted(detector).stream().filter(f -> f.updatedAt() >= since).map(Finding::id).toList();
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("findingIds", ids.subList(Math.min(from, ids.size()), Math.min(from + max, ids.size())));
            if (from + max < ids.size()) {
                reply.put("nextToken", Integer.toString(from + max));
            }
            answer = JSON.writeValueAsString(reply);
        }
        afterList.accept(lists.incrementAndGet());
        return answer;
    }

    private String getFindings(String detector, JsonNode body) {
        List<String> asked = new ArrayList<>();
        body.path("findingIds").forEach(id -> asked.add(id.asText()));
        beforeGet.accept(gets.incrementAndGet(), asked);
        List<String> rendered = new ArrayList<>();
        synchronized (this) {
            body.path("findingIds").forEach(id -> {
                Finding finding = findings.get(detector + "/" + id.asText());
                if (finding != null) {
                    rendered.add(0, render(finding));
                }
            });
        }
        return "{\"findings\":[" + String.join(",\n ", rendered) + "]}";
    }

    /** The finding's JSON as GuardDuty writes it, including a member the SDK model does not know. */
    static String render(Finding f) {
        String updated = TIME.format(Instant.ofEpochMilli(f.updatedAt()));
        return "{\"accountId\":\"" + f.account() + "\",\"arn\":\"arn:aws:guardduty:us-east-1:" + f.account() + ":detector/"
            + f.detector() + "/finding/" + f.id() + "\",\"createdAt\":\"2024-05-01T00:00:00.000Z\",\"id\":\"" + f.id() + "\","
            + "\"partition\":\"aws\",\"region\":\"us-east-1\",\"resource\":{\"resourceType\":\"AccessKey\"},\"schemaVersion\":\"2.0\","
            + "\"service\":{\"serviceName\":\"guardduty\",\"detectorId\":\"" + f.detector() + "\",\"count\":" + f.count() + ","
            + "\"additionalInfo\":{\"type\":\"default\"" + (f.sample() ? ",\"sample\":true" : "") + "},\"archived\":false},"
            + "\"severity\":5.0,\"title\":\"API called from a Tor exit node\",\"type\":\"UnauthorizedAccess:IAMUser/TorIPCaller\","
            + "\"updatedAt\":\"" + updated + "\",\"unknownFutureField\":[1, 2.50]}";
    }
}
