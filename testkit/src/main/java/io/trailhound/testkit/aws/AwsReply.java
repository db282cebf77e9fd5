package io.trailhound.testkit.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * One HTTP answer of a stubbed AWS endpoint, carrying the unique request id it reports (in its body where the protocol
 * puts it there, and always in {@code x-amzn-RequestId}), so a test can match it with what the SDK reports.
 */
public record AwsReply(int status, String contentType, String body, String requestId, Map<String, String> headers) {

    /** The header the SDK reads the request id from for JSON protocols (and that Query services send too). */
    public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    /** Copies the extra headers so the reply stays immutable. */
    public AwsReply {
        headers = Map.copyOf(headers);
    }

    /** A fresh request id in the format AWS uses. */
    public static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /** The WireMock response that serves this reply. */
    public ResponseDefinitionBuilder toResponse() {
        ResponseDefinitionBuilder response = aResponse()
            .withStatus(status)
            .withHeader("Content-Type", contentType)
            .withHeader(REQUEST_ID_HEADER, requestId)
            .withBody(body);
        headers.forEach(response::withHeader);
        return response;
    }
}
