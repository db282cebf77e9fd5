package io.trailhound.testkit.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A request an SDK client really sent to a stubbed endpoint, decoded for assertions.
 *
 * @param action the Query {@code Action}, else the JSON {@code X-Amz-Target}, else {@code "METHOD /path"} (REST)
 * @param params decoded form parameters of a Query call (in the order sent), or the URL query parameters otherwise
 * @param headers header values by name, case-insensitively
 */
public record AwsRequest(String method, String path, String action, Map<String, String> params, String body,
                         Map<String, List<String>> headers) {

    private static final String TARGET_HEADER = "X-Amz-Target";

    /** Copies the maps; headers keep case-insensitive lookup. */
    public AwsRequest {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> byName.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(byName);
    }

    /** Decodes a request from WireMock's journal. */
    public static AwsRequest from(LoggedRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader header : request.getHeaders().all()) {
            headers.put(header.key(), header.values());
        }
        String url = request.getUrl();
        int queryStart = url.indexOf('?');
        String path = queryStart < 0 ? url : url.substring(0, queryStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart + 1);
        String body = request.getBodyAsString();
        boolean form = request.contentTypeHeader().isPresent()
            && request.contentTypeHeader().mimeTypePart().equalsIgnoreCase("application/x-www-form-urlencoded");
        Map<String, String> params = decodeForm(form ? body : query);
        String method = request.getMethod().getName();
        String action;
        if (form && params.containsKey("Action")) {
            action = params.get("Action");
        } else if (request.containsHeader(TARGET_HEADER)) {
            action = request.getHeader(TARGET_HEADER);
        } else {
            action = method + " " + path;
        }
        return new AwsRequest(method, path, action, params, body, headers);
    }

    /** Decodes {@code a=1&b=x%20y} into an ordered map; the first value wins for repeated names. */
    public static Map<String, String> decodeForm(String encoded) {
        Map<String, String> params = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return params;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** The first value of header {@code name} (any case), or {@code null} when absent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A form or query parameter, or {@code null} when absent. */
    public String param(String name) {
        return params.get(name);
    }

    /**
     * Whether this request is a call to {@code name}: its Query action, its full JSON target, or the operation part of
     * the target ({@code ReceiveMessage} for {@code AmazonSQS.ReceiveMessage}).
     */
    public boolean isCallTo(String name) {
        if (action.equals(name)) {
            return true;
        }
        String target = header(TARGET_HEADER);
        return target != null && target.substring(target.lastIndexOf('.') + 1).equals(name);
    }
}
