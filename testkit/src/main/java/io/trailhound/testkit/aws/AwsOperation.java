package io.trailhound.testkit.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.Map;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

/**
 * One AWS API operation as it appears on the wire: how to recognise the SDK's request for it, and how its protocol
 * shapes a successful or failed answer. Build one with {@link #query}, {@link #json} or {@link #restJson}.
 */
public sealed interface AwsOperation permits AwsOperation.Query, AwsOperation.Json, AwsOperation.RestJson {

    /** Content type of AWS JSON protocol answers; the SDK does not check it, so 1.0 serves 1.1 clients too. */
    String AMZ_JSON = "application/x-amz-json-1.0";

    /** A request pattern matching the SDK's calls to this operation; a fresh builder on every call. */
    MappingBuilder matcher();

    /** A successful answer carrying {@code body} (for the Query protocol: the result elements, wrapped in the envelope). */
    AwsReply success(String body);

    /** An error answer with the service's error code (e.g. {@code Throttling}, {@code NoSuchEntity}) and message. */
    AwsReply error(int httpStatus, String code, String message);

    /** A Query-protocol operation (EC2, IAM, STS) of {@code service}. */
    static Query query(AwsQueryService service, String action) {
        return new Query(service, action, Map.of());
    }

    /** A Query-protocol operation that only matches when the form also carries these parameters. */
    static Query query(AwsQueryService service, String action, Map<String, String> params) {
        return new Query(service, action, params);
    }

    /** An AWS JSON 1.0/1.1 operation named by its {@code X-Amz-Target} header, e.g. {@code AmazonSQS.ReceiveMessage}. */
    static Json json(String target) {
        return new Json(target);
    }

    /** A REST-JSON operation (e.g. GuardDuty) matched by HTTP method and a regular expression over the URL path. */
    static RestJson restJson(String method, String urlPathRegex) {
        return new RestJson(method, urlPathRegex);
    }

    /** Query protocol: {@code Action} and {@code Version} form parameters, XML envelopes per service. */
    record Query(AwsQueryService service, String action, Map<String, String> params) implements AwsOperation {

        /** Copies the parameters so the operation stays immutable. */
        public Query {
            params = Map.copyOf(params);
        }

        @Override
        public MappingBuilder matcher() {
            MappingBuilder matcher = post(anyUrl())
                .withFormParam("Action", equalTo(action))
                .withFormParam("Version", equalTo(service.version()));
            params.forEach((name, value) -> matcher.withFormParam(name, equalTo(value)));
            return matcher;
        }

        @Override
        public AwsReply success(String resultXml) {
            String requestId = AwsReply.newRequestId();
            return new AwsReply(200, "text/xml;charset=UTF-8", service.successBody(action, resultXml, requestId), requestId, Map.of());
        }

        @Override
        public AwsReply error(int httpStatus, String code, String message) {
            String requestId = AwsReply.newRequestId();
            String body = service.errorBody(httpStatus, code, message, requestId);
            return new AwsReply(httpStatus, "text/xml;charset=UTF-8", body, requestId, Map.of());
        }
    }

    /** AWS JSON 1.0/1.1: {@code POST /} with {@code X-Amz-Target}; errors carry {@code __type}. */
    record Json(String target) implements AwsOperation {

        @Override
        public MappingBuilder matcher() {
            return post(anyUrl()).withHeader("X-Amz-Target", equalTo(target));
        }

        @Override
        public AwsReply success(String json) {
            return new AwsReply(200, AMZ_JSON, json, AwsReply.newRequestId(), Map.of());
        }

        @Override
        public AwsReply error(int httpStatus, String type, String message) {
            return new AwsReply(httpStatus, AMZ_JSON, JsonText.error(type, message), AwsReply.newRequestId(), Map.of());
        }
    }

    /** REST-JSON: resource paths and HTTP verbs; errors carry {@code __type} and {@code x-amzn-ErrorType}. */
    record RestJson(String method, String urlPathRegex) implements AwsOperation {

        @Override
        public MappingBuilder matcher() {
            return request(method, urlPathMatching(urlPathRegex));
        }

        @Override
        public AwsReply success(String json) {
            return reply(200, json);
        }

        /** An answer with any status and a raw JSON body. */
        public AwsReply reply(int httpStatus, String json) {
            return new AwsReply(httpStatus, "application/json", json, AwsReply.newRequestId(), Map.of());
        }

        @Override
        public AwsReply error(int httpStatus, String type, String message) {
            return new AwsReply(httpStatus, "application/json", JsonText.error(type, message), AwsReply.newRequestId(),
                Map.of("x-amzn-ErrorType", type));
        }
    }
}
