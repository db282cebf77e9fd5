package io.trailhound.serde;

import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A registry's HTTP answer reduced to what error handling needs: status, Confluent {@code error_code} and {@code message}.
 *
 * @param status    HTTP status
 * @param errorCode the body's {@code error_code}, or the status when the body has none
 * @param message   the body's {@code message}, or the start of the body when it is not Confluent's error JSON
 */
record RegistryAnswer(int status, int errorCode, String message) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_CHARS = 300;

    static RegistryAnswer of(int status, String body) {
        if (status < 300) {
            return new RegistryAnswer(status, 0, "");
        }
        try {
            JsonNode node = JSON.readTree(body == null ? "" : body);
            if (node != null && node.isObject() && (node.has("error_code") || node.has("message"))) {
                return new RegistryAnswer(status, node.path("error_code").asInt(status), node.path("message").asText(""));
            }
        } catch (JsonProcessingException e) {
            // Not JSON (e.g. a proxy's HTML error page): the body's start is the best message there is.
        }
        String text = body == null ? "" : body.strip();
        return new RegistryAnswer(status, status, text.length() > MAX_BODY_CHARS ? text.substring(0, MAX_BODY_CHARS) + "..." : text);
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    boolean isServerError() {
        return status >= 500;
    }

    String describe() {
        return "HTTP " + status + ", error code " + errorCode + (message.isEmpty() ? "" : ": " + message);
    }

    SchemaRegistryException toException(String method, String path, URI url, int attempt) {
        String hint = status == 401 || status == 403
                ? " (check basic.auth.credentials.source and basic.auth.user.info)"
                : "";
        return new SchemaRegistryException("Schema registry " + url + " rejected " + method + " " + path + ": " + describe() + hint,
                status, errorCode, attempt, List.of(url), null);
    }
}
