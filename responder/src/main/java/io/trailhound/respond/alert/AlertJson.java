package io.trailhound.respond.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.serde.AvroJson;

/**
 * Reads an alert written as a JSON line (what {@code trailhound scan} and {@code tail --format json} print) into the Avro
 * {@link Alert} through {@link AvroJson}, the mapping the scan writes with, so that {@code trailhound plan} plans on exactly
 * the alert the live responder would read from Kafka (#14). A missing {@code mode} (or one the schema does not know) reads
 * as REPLAY, the schema's default, so a malformed line can never trigger a response. Lines in the scan's earlier format
 * (principal and chain as ARNs, {@code entities.ips}, severity INFO, {@code tactic}/{@code technique}) are upgraded first.
 */
public final class AlertJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    /** Parses one JSON object; throws {@link IllegalArgumentException} saying what is wrong and in which field. */
    public static Alert parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object per line");
        }
        return AvroJson.read(upgraded((ObjectNode) node), Alert.class);
    }

    /** A line of the scan's format before #14 in today's field names; a line in today's format is left as it is. */
    private static ObjectNode upgraded(ObjectNode line) {
        if (line.path("principal").isTextual()) {
            String arn = line.get("principal").asText();
            line.putObject("principal").put("arn", arn).put("principalKey", line.path("principalKey").asText(arn))
                .put("type", typeOf(arn).name());
        }
        if (line.path("chain").isArray()) {
            ArrayNode chain = (ArrayNode) line.get("chain");
            for (int i = 0; i < chain.size(); i++) {
                if (chain.get(i).isTextual()) {
                    chain.set(i, MAPPER.createObjectNode().put("principalArn", chain.get(i).asText()));
                }
            }
        }
        if (line.path("entities").isObject() && !line.path("entities").has("ipAddresses") && line.path("entities").has("ips")) {
            ObjectNode entities = (ObjectNode) line.get("entities");
            entities.set("ipAddresses", entities.remove("ips"));
        }
        if ("INFO".equals(line.path("severity").asText())) {
            line.put("severity", Severity.INFORMATIONAL.name());
        }
        renamed(line, "tactic", "mitreTactic");
        renamed(line, "technique", "mitreTechniqueId");
        return line;
    }

    private static void renamed(ObjectNode line, String before, String now) {
        if (!line.has(now) && line.has(before)) {
            line.set(now, line.get(before));
        }
    }

    /** What the earlier line left out: the principal's type, from its ARN (the user and role-session runbooks depend on it). */
    private static PrincipalType typeOf(String arn) {
        if (arn.contains(":user/")) {
            return PrincipalType.IAMUser;
        }
        if (arn.contains(":role/") || arn.contains(":assumed-role/")) {
            return PrincipalType.AssumedRole;
        }
        return arn.endsWith(":root") ? PrincipalType.Root : PrincipalType.Unknown;
    }
}
