package io.trailhound.respond.alert;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.Severity;
import io.trailhound.serde.TrustedAvroClasses;

/**
 * Reads alerts written as JSON lines (what {@code trailhound scan} prints) into the Avro {@link Alert}: field names are the
 * schema's, optional fields may be missing, times may be epoch milliseconds or ISO-8601 text. A missing or unknown
 * {@code mode} reads as REPLAY, like the schema's default, so a malformed line can never trigger a response.
 */
public final class AlertJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // Builders fill in defaults through SpecificData, which refuses classes Avro does not trust.
        TrustedAvroClasses.install();
    }

    private AlertJson() {
    }

    /** Parses one JSON object; throws {@link IllegalArgumentException} saying what is wrong. */
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
        String alertId = text(node, "alertId");
        if (alertId == null || alertId.isBlank()) {
            throw new IllegalArgumentException("alert has no alertId");
        }
        return Alert.newBuilder()
            .setAlertId(alertId)
            .setDedupKey(textOr(node, "dedupKey", ""))
            .setRuleId(textOr(node, "ruleId", ""))
            .setTitle(textOr(node, "title", ""))
            .setDescription(text(node, "description"))
            .setSeverity(enumOr(Severity.class, text(node, "severity"), Severity.MEDIUM))
            .setPrincipal(principal(node.get("principal")))
            .setAccountId(textOr(node, "accountId", accountOf(node.get("principal"))))
            .setRegion(textOr(node, "region", ""))
            .setEntities(entities(node.get("entities")))
            .setEventIds(strings(node.get("eventIds")))
            .setFindingIds(strings(node.get("findingIds")))
            .setEvidence(text(node, "evidence"))
            .setRunbook(text(node, "runbook"))
            .setIncidentId(text(node, "incidentId"))
            .setCount(node.path("count").asLong(1))
            .setFirstSeen(time(node.get("firstSeen")))
            .setLastSeen(time(node.get("lastSeen")))
            .setDetectedAt(time(node.get("detectedAt")))
            .setMode(enumOr(Mode.class, text(node, "mode"), Mode.REPLAY))
            .build();
    }

    private static Principal principal(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return Principal.newBuilder()
            .setType(enumOr(PrincipalType.class, text(node, "type"), PrincipalType.Unknown))
            .setPrincipalKey(textOr(node, "principalKey", ""))
            .setArn(text(node, "arn"))
            .setSessionArn(text(node, "sessionArn"))
            .setAccountId(text(node, "accountId"))
            .setPrincipalId(text(node, "principalId"))
            .setUserName(text(node, "userName"))
            .setSessionName(text(node, "sessionName"))
            .setAccessKeyId(text(node, "accessKeyId"))
            .setSessionIssuerArn(text(node, "sessionIssuerArn"))
            .build();
    }

    private static Entities entities(JsonNode node) {
        JsonNode entities = node == null ? MAPPER.createObjectNode() : node;
        Map<String, List<String>> other = new LinkedHashMap<>();
        entities.path("other").properties().forEach(entry -> other.put(entry.getKey(), strings(entry.getValue())));
        JsonNode ips = entities.has("ipAddresses") ? entities.get("ipAddresses") : entities.get("ips");
        return Entities.newBuilder()
            .setAccessKeyIds(strings(entities.get("accessKeyIds")))
            .setInstanceIds(strings(entities.get("instanceIds")))
            .setUserNames(strings(entities.get("userNames")))
            .setRoleArns(strings(entities.get("roleArns")))
            .setIpAddresses(strings(ips))
            .setBuckets(strings(entities.get("buckets")))
            .setOther(other)
            .build();
    }

    private static String accountOf(JsonNode principal) {
        return principal == null ? "" : textOr(principal, "accountId", "");
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(value -> {
                if (value.isValueNode() && !value.isNull() && !values.contains(value.asText())) {
                    values.add(value.asText());
                }
            });
        }
        return values;
    }

    private static Instant time(JsonNode node) {
        if (node == null || node.isNull()) {
            return Instant.EPOCH;
        }
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time (epoch millis or ISO-8601): " + node.asText(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        String value = text(node, field);
        return value == null ? fallback : value;
    }

    private static <E extends Enum<E>> E enumOr(Class<E> type, String name, E fallback) {
        if (name == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(name.trim())) {
                return constant;
            }
        }
        return fallback;
    }
}
