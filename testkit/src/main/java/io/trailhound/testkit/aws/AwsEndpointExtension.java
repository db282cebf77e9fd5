package io.trailhound.testkit.aws;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.trailhound.testkit.ComponentExtension;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local AWS endpoint for tests: WireMock on 127.0.0.1 answering real SDK clients in the Query, AWS JSON and REST-JSON
 * protocols, and recording what they sent. As a static {@code @RegisterExtension} field it serves a whole class and forgets
 * stubs and requests after each test (so stub in the test or in {@code @BeforeEach}); as an instance field, one per test.
 */
public class AwsEndpointExtension extends ComponentExtension {

    /** AWS's documented example key pair: obviously fake, and the stubs never check signatures. */
    static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String REGION = "us-east-1";

    private final List<Extension> extensions;
    private WireMockServer server;

    /** An endpoint with WireMock's built-in behaviour only. */
    public AwsEndpointExtension() {
        this(new Extension[0]);
    }

    /** An endpoint hosting WireMock extensions, e.g. response transformers of a small stateful fake. */
    public AwsEndpointExtension(Extension... extensions) {
        this.extensions = List.of(extensions);
    }

    @Override
    protected void start() {
        server = new WireMockServer(options()
            .bindAddress("127.0.0.1")
            .dynamicPort()
            .notifier(new WireMockLog())
            .extensions(extensions.toArray(Extension[]::new)));
        server.start();
    }

    @Override
    protected void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        super.afterEach(context);
        if (isRunning()) {
            reset();
        }
    }

    /** The base URI to pass to {@code endpointOverride}. */
    public URI endpoint() {
        requireRunning();
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** The WireMock server, for custom stubs and WireMock's own verification. */
    public WireMockServer wireMock() {
        requireRunning();
        return server;
    }

    /** Access key id of the static credentials the clients should use (the stubs do not check signatures). */
    public String accessKeyId() {
        return ACCESS_KEY_ID;
    }

    /** Secret of the static credentials. */
    public String secretAccessKey() {
        return SECRET_ACCESS_KEY;
    }

    /** The region to configure on regional clients ({@code us-east-1}). */
    public String region() {
        return REGION;
    }

    /** Forgets all stubs, scenarios and received requests. */
    public void reset() {
        requireRunning();
        server.resetAll();
    }

    /** Serves {@code reply} to every call of {@code operation}; a later stub for the same call wins. */
    public AwsReply stub(AwsOperation operation, AwsReply reply) {
        requireRunning();
        server.stubFor(operation.matcher().willReturn(reply.toResponse()));
        return reply;
    }

    /**
     * Serves {@code replies} to successive calls of {@code operation}, the last one from then on: e.g. two throttling
     * errors, then success, for retry tests.
     */
    public List<AwsReply> stubSequence(AwsOperation operation, AwsReply... replies) {
        requireRunning();
        String scenario = "sequence-" + UUID.randomUUID();
        for (int step = 0; step < replies.length; step++) {
            ScenarioMappingBuilder matcher = operation.matcher()
                .inScenario(scenario)
                .whenScenarioStateIs(step == 0 ? Scenario.STARTED : "step-" + step);
            if (step < replies.length - 1) {
                matcher.willSetStateTo("step-" + (step + 1));
            }
            server.stubFor(matcher.willReturn(replies[step].toResponse()));
        }
        return List.of(replies);
    }

    /** Stubs a successful Query-protocol call; {@code resultXml} is what goes inside the service's response envelope. */
    public AwsReply stubQuery(AwsQueryService service, String action, String resultXml) {
        AwsOperation operation = AwsOperation.query(service, action);
        return stub(operation, operation.success(resultXml));
    }

    /** Like {@link #stubQuery(AwsQueryService, String, String)}, only for calls carrying these form parameters too. */
    public AwsReply stubQuery(AwsQueryService service, String action, Map<String, String> params, String resultXml) {
        AwsOperation operation = AwsOperation.query(service, action, params);
        return stub(operation, operation.success(resultXml));
    }

    /** Stubs a Query-protocol error with the service's own XML error body. */
    public AwsReply stubQueryError(AwsQueryService service, String action, int httpStatus, String code, String message) {
        AwsOperation operation = AwsOperation.query(service, action);
        return stub(operation, operation.error(httpStatus, code, message));
    }

    /** Stubs an AWS JSON call by its {@code X-Amz-Target}, e.g. {@code AmazonSQS.ReceiveMessage}. */
    public AwsReply stubJson(String target, String responseJson) {
        AwsOperation operation = AwsOperation.json(target);
        return stub(operation, operation.success(responseJson));
    }

    /** Stubs an AWS JSON error; {@code type} becomes {@code __type} (the SDK's error code). */
    public AwsReply stubJsonError(String target, int httpStatus, String type, String message) {
        AwsOperation operation = AwsOperation.json(target);
        return stub(operation, operation.error(httpStatus, type, message));
    }

    /** Stubs a REST-JSON call by method and URL path regex, e.g. {@code POST /detector/[^/]+/findings/get}. */
    public AwsReply stubRestJson(String method, String urlPathRegex, int httpStatus, String json) {
        AwsOperation.RestJson operation = AwsOperation.restJson(method, urlPathRegex);
        return stub(operation, operation.reply(httpStatus, json));
    }

    /** Stubs a REST-JSON error ({@code __type} body and {@code x-amzn-ErrorType} header). */
    public AwsReply stubRestJsonError(String method, String urlPathRegex, int httpStatus, String type, String message) {
        AwsOperation operation = AwsOperation.restJson(method, urlPathRegex);
        return stub(operation, operation.error(httpStatus, type, message));
    }

    /** The requests received since the last reset. */
    public AwsRequestJournal journal() {
        requireRunning();
        return new AwsRequestJournal(server);
    }

    /** Requests calling {@code name}, oldest first; see {@link AwsRequest#isCallTo(String)}. */
    public List<AwsRequest> requests(String name) {
        return journal().calls(name);
    }

    /** Every request received since the last reset, oldest first. */
    public List<AwsRequest> requests() {
        return journal().all();
    }

    /** Asserts {@code name} was called and returns the latest such request. */
    public AwsRequest verifyCalled(String name) {
        return journal().verifyCalled(name);
    }

    /** Asserts {@code name} was called exactly {@code times} times and returns those requests. */
    public List<AwsRequest> verifyCalled(String name, int times) {
        return journal().verifyCalled(name, times);
    }
}
