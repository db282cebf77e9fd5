package io.trailhound.detect.normalize;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.CloudTrailResource;
import io.trailhound.avro.TlsDetails;
import io.trailhound.detect.lineage.FederatedSubject;
import io.trailhound.detect.rules.EventView;

/**
 * Turns one raw record (a CloudTrail record, a CloudTrail record or GuardDuty finding in an EventBridge envelope, or a bare
 * GuardDuty finding) into its Avro type; anything else becomes a {@link Normalized.Rejected} with the reason, never an exception.
 */
public final class RecordNormalizer {

    // trailing tokens must fail: a JSON Lines file is not one object followed by noise
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final PrincipalResolver principals;
    private final GuardDutyFindingParser findings = new GuardDutyFindingParser();
    private final int maxRecordBytes;

    /** @param maxRecordBytes records larger than this are rejected unparsed */
    public RecordNormalizer(PrincipalResolver principals, int maxRecordBytes) {
        this.principals = principals;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Normalizes {@code raw}; never throws. */
    public Normalized normalize(byte[] raw) {
        if (raw == null || raw.length == 0) {
            return new Normalized.Rejected("empty record");
        }
        if (raw.length > maxRecordBytes) {
            return new Normalized.Rejected("record of " + raw.length + " bytes exceeds the limit of " + maxRecordBytes);
        }
        FlatCloudTrailRecord flat = FlatCloudTrailRecord.read(raw);
        if (flat != null) {
            try {
                return cloudTrail(flat.fields(), flat.text("requestParameters"), flatResponse(flat.text("responseElements")),
                        flatAdditional(flat.text("additionalEventData"), flat.text("serviceEventDetails")),
                        flat.text("serviceEventDetails"));
            } catch (RuntimeException e) {
                return new Normalized.Rejected("unexpected field value: " + e);
            }
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(raw);
        } catch (JsonProcessingException e) {
            return new Normalized.Rejected("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Normalized.Rejected("unreadable record: " + e.getMessage());
        }
        return normalize(root);
    }

    /** Normalizes an already parsed record; never throws. */
    public Normalized normalize(JsonNode root) {
        if (root == null || !root.isObject()) {
            return new Normalized.Rejected("not a JSON object");
        }
        try {
            JsonNode detail = root.path("detail");
            if (detail.isObject() && root.has("detail-type")) {
                return GuardDutyFindingParser.isFinding(detail) ? findings.parse(detail) : cloudTrail(detail);
            }
            if (GuardDutyFindingParser.isFinding(root)) {
                return findings.parse(root);
            }
            return cloudTrail(root);
        } catch (RuntimeException e) {
            // wrong types in otherwise well-formed JSON: reject with the reason instead of failing the task
            return new Normalized.Rejected("unexpected field value: " + e);
        }
    }

    /** Whether {@code root} is a GuardDuty finding, bare or in an EventBridge envelope (it belongs on the GuardDuty topic). */
    public static boolean isGuardDutyFinding(JsonNode root) {
        return root != null && (GuardDutyFindingParser.isFinding(root) || GuardDutyFindingParser.isFinding(root.path("detail")));
    }

    private Normalized cloudTrail(JsonNode r) {
        return cloudTrail(r, JsonFields.json(r, "requestParameters"), responseElements(r.get("responseElements")), additional(r),
                JsonFields.json(r, "serviceEventDetails"));
    }

    /** The record with fields {@code r} and its JSON-text fields already rendered. */
    private Normalized cloudTrail(JsonNode r, String requestParameters, String responseElements, String additionalEventData,
                                  String serviceEventDetails) {
        String eventName = JsonFields.text(r, "eventName");
        if (eventName == null) {
            return new Normalized.Rejected("missing eventName");
        }
        String eventId = JsonFields.text(r, "eventID");
        if (eventId == null) {
            return new Normalized.Rejected("missing eventID");
        }
        String timeText = JsonFields.text(r, "eventTime") != null ? JsonFields.text(r, "eventTime") : JsonFields.text(r, "@timestamp");
        if (timeText == null) {
            return new Normalized.Rejected("missing eventTime");
        }
        Optional<Instant> time = EventTimes.parse(timeText);
        if (time.isEmpty()) {
            return new Normalized.Rejected("unparseable eventTime '" + truncate(timeText) + "'");
        }
        String recipient = JsonFields.text(r, "recipientAccountId");
        CloudTrailEvent event = CloudTrailEvent.newBuilder()
                .setEventId(eventId)
                .setEventTime(time.get())
                .setEventSource(orEmpty(JsonFields.text(r, "eventSource")))
                .setEventName(eventName)
                .setEventType(JsonFields.text(r, "eventType"))
                .setEventCategory(JsonFields.text(r, "eventCategory"))
                .setAwsRegion(orEmpty(JsonFields.text(r, "awsRegion")))
                .setRecipientAccountId(recipient)
                .setPrincipal(principals.resolve(r.get("userIdentity"), recipient))
                .setSourceIpAddress(JsonFields.text(r, "sourceIPAddress"))
                .setUserAgent(JsonFields.text(r, "userAgent"))
                .setRequestId(JsonFields.text(r, "requestID"))
                .setErrorCode(JsonFields.text(r, "errorCode"))
                .setErrorMessage(JsonFields.text(r, "errorMessage"))
                .setReadOnly(JsonFields.bool(r, "readOnly"))
                .setManagementEvent(JsonFields.bool(r, "managementEvent"))
                .setRequestParameters(requestParameters)
                .setResponseElements(responseElements)
                .setAdditionalEventData(additionalEventData)
                .setServiceEventDetails(serviceEventDetails)
                .setVpcEndpointAccountId(JsonFields.text(r, "vpcEndpointAccountId"))
                .setSessionCredentialFromConsole(JsonFields.bool(r, "sessionCredentialFromConsole"))
                .setResources(resources(r.path("resources")))
                .setSharedEventId(JsonFields.text(r, "sharedEventID"))
                .setVpcEndpointId(JsonFields.text(r, "vpcEndpointId"))
                .setTlsDetails(tls(r.path("tlsDetails")))
                // its default, set: a field left unset has its default copied from the schema on every build
                .setProvenance(null)
                .build();
        return new Normalized.Event(federated(event));
    }

    /**
     * {@code event} with its caller as the federated subject it is when it is an AssumeRoleWithWebIdentity or
     * AssumeRoleWithSAML: CloudTrail's {@code userIdentity} names the subject without its provider (SAML) or keys it apart from
     * the role it federates into (#18).
     */
    private static CloudTrailEvent federated(CloudTrailEvent event) {
        String name = event.getEventName();
        if (!FederatedSubject.WEB_IDENTITY.equals(name) && !FederatedSubject.SAML.equals(name)) {
            return event;
        }
        return FederatedSubject.of(new EventView(event))
                .map(s -> CloudTrailEvent.newBuilder(event).setPrincipal(s.asPrincipal(event.getPrincipal())).build())
                .orElse(event);
    }

    /** Response elements without credential secrets: only the access key id of minted credentials survives. */
    static String responseElements(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            return node.isContainerNode() ? node.toString() : node.asText();
        }
        ObjectNode copy = node.deepCopy();
        JsonNode credentials = copy.path("credentials");
        if (credentials.isObject()) {
            ((ObjectNode) credentials).remove(List.of("secretAccessKey", "sessionToken"));
        }
        return copy.toString();
    }

    /** Response elements cut from the input: re-read without secrets only when they name one (minted credentials). */
    private static String flatResponse(String json) {
        if (json == null || !(json.contains("secretAccessKey") || json.contains("sessionToken"))) {
            return json;
        }
        return responseElements(readJson(json));
    }

    /** additionalEventData cut from the input, with serviceEventDetails folded in as {@link #additional} does. */
    private static String flatAdditional(String additional, String service) {
        if (service == null) {
            return additional;
        }
        return withService(additional == null ? null : readJson(additional), readJson(service));
    }

    private static JsonNode readJson(String json) {
        String s = json.trim();
        if (!(s.startsWith("{") || s.startsWith("["))) {
            return MAPPER.getNodeFactory().textNode(json);
        }
        try {
            return MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable JSON text", e);
        }
    }

    /**
     * additionalEventData, plus serviceEventDetails folded in under that name: the schema has no field of its own for it and
     * console sign-in and password rules need it.
     */
    private static String additional(JsonNode r) {
        JsonNode extra = r.get("additionalEventData");
        JsonNode service = r.get("serviceEventDetails");
        if (service == null || service.isNull()) {
            return JsonFields.json(r, "additionalEventData");
        }
        return withService(extra, service);
    }

    /** {@code extra} (an object, else nothing) with {@code service} under serviceEventDetails, as compact JSON text. */
    private static String withService(JsonNode extra, JsonNode service) {
        ObjectNode merged = extra != null && extra.isObject() ? extra.deepCopy() : MAPPER.createObjectNode();
        merged.set("serviceEventDetails", service);
        return merged.toString();
    }

    private static List<CloudTrailResource> resources(JsonNode list) {
        List<CloudTrailResource> out = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode n : list) {
                out.add(new CloudTrailResource(JsonFields.text(n, "ARN"), JsonFields.text(n, "type"), JsonFields.text(n, "accountId")));
            }
        }
        return out;
    }

    private static TlsDetails tls(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        return new TlsDetails(JsonFields.text(n, "tlsVersion"), JsonFields.text(n, "cipherSuite"),
                JsonFields.text(n, "clientProvidedHostHeader"));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
