package io.trailhound.serde;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Maps the client operations onto Confluent's REST endpoints ({@code /subjects/...}, {@code /schemas/ids/...}) and their JSON.
 * No caching here: {@link CachingSchemaRegistryClient} wraps it.
 */
final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryTransport transport;

    RestSchemaRegistryClient(RegistryTransport transport) {
        this.transport = transport;
    }

    @Override
    public int register(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        return requiredInt(answer, "id", "register under " + subject);
    }

    @Override
    public RegisteredSchema lookup(String subject, Schema schema) {
        JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema));
        return new RegisteredSchema(subject, requiredInt(answer, "id", "lookup under " + subject), answer.path("version").asInt(0),
                schema);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        String what = "latest version of " + subject;
        return new RegisteredSchema(subject, requiredInt(answer, "id", what), answer.path("version").asInt(0), parse(answer, what));
    }

    @Override
    public Schema schemaById(int id) {
        return parse(call("GET", "/schemas/ids/" + id, null), "schema id " + id);
    }

    @Override
    public String describe() {
        return transport.urls().toString();
    }

    private JsonNode call(String method, String path, String body) {
        String text = transport.send(method, path, body);
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw malformed(method + " " + path + " answered with invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private Schema parse(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw malformed(what + " is a " + type + " schema, not Avro");
        }
        String text = answer.path("schema").asText(null);
        if (text == null) {
            throw malformed(what + ": the answer has no \"schema\" field");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw malformed(what + " is not a valid Avro schema: " + e.getMessage());
        }
    }

    private int requiredInt(JsonNode answer, String field, String what) {
        if (!answer.path(field).canConvertToInt()) {
            throw malformed(what + ": the answer has no integer \"" + field + "\" field");
        }
        return answer.path(field).asInt();
    }

    private SchemaRegistryException malformed(String message) {
        return new SchemaRegistryException("Unexpected answer from schema registry " + transport.urls() + ": " + message, 200, 0, 1,
                transport.urls(), null);
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
