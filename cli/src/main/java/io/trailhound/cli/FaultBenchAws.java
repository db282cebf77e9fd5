package io.trailhound.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.trailhound.testkit.aws.AwsQueryService;

/**
 * The AWS side of the responder scenarios of {@code trailhound bench faults}: STS and the IAM calls of the IAM-user runbook on
 * the Query protocol (WireMock), one active access key per benchmark user, and a journal of every mutating request (anything
 * but Get, List, Describe and AssumeRole) as it reached AWS; an inline user policy once put is there for
 * GetUserPolicy, a key's status once updated for ListAccessKeys. The same mutating request (action and parameters) seen twice is
 * an action duplicated. {@link #throttle(boolean)} answers every IAM call with a throttling error until turned off, rotating
 * through HTTP 429, {@code Throttling} and {@code RequestLimitExceeded}.
 */
final class FaultBenchAws implements AutoCloseable {

    private static final Pattern USER = Pattern.compile("UserName=(fault-user-\\d+)");
    private static final Pattern ACTION = Pattern.compile("Action=([A-Za-z]+)");
    private static final String ASSUME_ROLE = "<Credentials><AccessKeyId>ASIAFAULTEXAMPLE</AccessKeyId><SecretAccessKey>faultSecret"
        + "</SecretAccessKey><SessionToken>faultToken</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
        + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/TrailhoundResponder/trailhound-responder</Arn>"
        + "<AssumedRoleId>AROAFAULT:trailhound-responder</AssumedRoleId></AssumedRoleUser>";

    private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").disableRequestJournal());
    private final List<String> mutating = new CopyOnWriteArrayList<>();
    private final Map<String, Long> finished = new ConcurrentHashMap<>();
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final List<Long> successes = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final List<StubMapping> throttles = new ArrayList<>();

    FaultBenchAws(int users, int slowPolicyMillis) {
        server.start();
        server.addMockServiceRequestListener((request, response) -> {
            String body = request.getBodyAsString();
            Matcher action = ACTION.matcher(body);
            Matcher user = USER.matcher(body);
            if (user.find()) {
                started.putIfAbsent(user.group(1), System.currentTimeMillis());
            }
            user.reset();
            if (response.getStatus() >= 400 && response.getStatus() != 404) {
                throttled.incrementAndGet();
                return;
            }
            long now = System.currentTimeMillis();
            successes.add(now);
            if (action.find() && isMutating(action.group(1))) {
                mutating.add(canonical(body));
                if ("PutUserPolicy".equals(action.group(1))) {
                    remember(body);
                } else if ("UpdateAccessKey".equals(action.group(1))) {
                    rememberKey(body);
                }
            }
            if (user.find() && body.contains("Action=" + RespondBenchStub.LAST_CALL)) {
                finished.putIfAbsent(user.group(1), now);
            }
        });
        stub(AwsQueryService.STS, "AssumeRole", ASSUME_ROLE, 0);
        for (int i = 0; i < users; i++) {
            String name = user(i);
            server.stubFor(post(anyUrl()).withFormParam("Action", equalTo("ListAccessKeys")).withFormParam("UserName", equalTo(name))
                .willReturn(ok(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata><member><UserName>" + name + "</UserName>"
                    + "<AccessKeyId>" + key(i) + "</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata>"
                    + "<IsTruncated>false</IsTruncated>", 0)));
        }
        stub(AwsQueryService.IAM, "UpdateAccessKey", "", 0);
        stub(AwsQueryService.IAM, "PutUserPolicy", "", slowPolicyMillis);
        stub(AwsQueryService.IAM, "DeleteLoginProfile", "", 0);
        stub(AwsQueryService.IAM, "ListSSHPublicKeys", "<SSHPublicKeys/><IsTruncated>false</IsTruncated>", 0);
        stub(AwsQueryService.IAM, "ListServiceSpecificCredentials", "<ServiceSpecificCredentials/>", 0);
        stub(AwsQueryService.IAM, "ListSigningCertificates", "<Certificates/><IsTruncated>false</IsTruncated>", 0);
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo("GetUserPolicy"))
            .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "text/xml")
                .withBody(AwsQueryService.IAM.errorBody(404, "NoSuchEntity", "The user policy does not exist", requestId()))));
    }

    static String user(int i) {
        return "fault-user-" + i;
    }

    static String key(int i) {
        return String.format("AKIAFAULT%011d", i);
    }

    private static boolean isMutating(String action) {
        return !(action.startsWith("Get") || action.startsWith("List") || action.startsWith("Describe") || "AssumeRole".equals(action));
    }

    /**
     * The request's form parameters sorted, without policy documents: one key per AWS change (action and target). A document
     * can carry the time it was written, so the same step done again would otherwise look like another change.
     */
    private static String canonical(String body) {
        Map<String, String> params = new TreeMap<>();
        Arrays.stream(body.split("&")).forEach(pair -> {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!name.endsWith("Document")) {
                params.put(name, eq < 0 ? "" : pair.substring(eq + 1));
            }
        });
        return params.toString();
    }

    /** IAM keeps what was put: GetUserPolicy answers with the document a PutUserPolicy stored (URL-encoded, as IAM returns it). */
    private void remember(String body) {
        Map<String, String> params = new TreeMap<>();
        Arrays.stream(body.split("&")).forEach(pair -> {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        });
        String user = URLDecoder.decode(params.getOrDefault("UserName", ""), StandardCharsets.UTF_8);
        String policy = URLDecoder.decode(params.getOrDefault("PolicyName", ""), StandardCharsets.UTF_8);
        String document = params.getOrDefault("PolicyDocument", "").replace("+", "%20");
        server.stubFor(post(anyUrl()).atPriority(2).withFormParam("Action", equalTo("GetUserPolicy"))
            .withFormParam("UserName", equalTo(user)).withFormParam("PolicyName", equalTo(policy))
            .willReturn(ok(AwsQueryService.IAM, "GetUserPolicy", "<UserName>" + user + "</UserName><PolicyName>" + policy
                + "</PolicyName><PolicyDocument>" + document + "</PolicyDocument>", 0)));
    }

    /**
     * IAM keeps a key's status: ListAccessKeys answers with the status an UpdateAccessKey set (the runbook reads it back before
     * deactivating, so a step done again finds the key inactive, as it would in AWS). One active key per benchmark user.
     */
    private void rememberKey(String body) {
        Map<String, String> params = form(body);
        String user = params.getOrDefault("UserName", "");
        server.stubFor(post(anyUrl()).atPriority(2).withFormParam("Action", equalTo("ListAccessKeys"))
            .withFormParam("UserName", equalTo(user))
            .willReturn(ok(AwsQueryService.IAM, "ListAccessKeys", "<AccessKeyMetadata><member><UserName>" + user + "</UserName>"
                + "<AccessKeyId>" + params.getOrDefault("AccessKeyId", "") + "</AccessKeyId><Status>" + params.getOrDefault("Status", "")
                + "</Status></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>", 0)));
    }

    /** The form parameters of a Query request, decoded. */
    private static Map<String, String> form(String body) {
        Map<String, String> params = new TreeMap<>();
        Arrays.stream(body.split("&")).forEach(pair -> {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        });
        return params;
    }

    private void stub(AwsQueryService service, String action, String resultXml, int delayMillis) {
        server.stubFor(post(anyUrl()).withFormParam("Action", equalTo(action)).willReturn(ok(service, action, resultXml, delayMillis)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(AwsQueryService service, String action,
                                                                                          String resultXml, int delayMillis) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withFixedDelay(delayMillis)
            .withBody(service.successBody(action, resultXml, requestId()));
    }

    /** While on, every IAM call is refused as throttled (429, Throttling, RequestLimitExceeded by action). */
    synchronized void throttle(boolean on) {
        if (!on) {
            throttles.forEach(server::removeStub);
            throttles.clear();
            return;
        }
        String[][] errors = {{"429", "TooManyRequests"}, {"400", "Throttling"}, {"503", "RequestLimitExceeded"}};
        String[] actions = {"ListAccessKeys", "UpdateAccessKey", "GetUserPolicy", "PutUserPolicy", "DeleteLoginProfile",
            "ListSSHPublicKeys", "ListServiceSpecificCredentials", "ListSigningCertificates"};
        for (int i = 0; i < actions.length; i++) {
            String[] error = errors[i % errors.length];
            int status = Integer.parseInt(error[0]);
            throttles.add(server.stubFor(post(anyUrl()).atPriority(1).withFormParam("Action", equalTo(actions[i]))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml")
                    .withBody(AwsQueryService.IAM.errorBody(status, error[1], "Rate exceeded", requestId())))));
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Every mutating request that succeeded, canonical form, in arrival order. */
    List<String> mutating() {
        return List.copyOf(mutating);
    }

    /** The distinct mutating requests about {@code user}. */
    long distinctChanges(String user) {
        return mutating.stream().filter(m -> m.contains("UserName=" + user + ",") || m.endsWith("UserName=" + user + "}"))
            .distinct().count();
    }

    /** Users whose runbook made its last call. */
    int finished() {
        return finished.size();
    }

    /** Users AWS has seen a request about (throttled ones included) whose runbook has not made its last call. */
    int inProgress() {
        return inProgress(0);
    }

    /** Of those, the ones whose runbook started at least {@code millis} ago. */
    int inProgress(long millis) {
        long before = System.currentTimeMillis() - millis;
        return (int) started.entrySet().stream().filter(e -> !finished.containsKey(e.getKey()) && e.getValue() <= before).count();
    }

    /** Milliseconds from {@code since} (wall clock) to the first request AWS answered with success after it, or -1. */
    long firstSuccessAfter(long since) {
        return successes.stream().filter(t -> t >= since).mapToLong(t -> t - since).min().orElse(-1);
    }

    /** Requests answered with a throttling error. */
    int throttledRequests() {
        return throttled.get();
    }

    private static String requestId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        server.stop();
    }
}
