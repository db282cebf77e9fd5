package io.trailhound.demo.month;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One CloudTrail record under construction, written with CloudTrail's field names, order and conventions: {@code readOnly}
 * as CloudTrail classifies the action, {@code requestParameters}/{@code responseElements} null when CloudTrail omits them,
 * {@code tlsDetails} only for calls made over the internet or an endpoint (not by a service on its own behalf), the
 * recipient account, and the event type and category of sign-ins, service events and data events.
 */
final class Call {

    /** Actions CloudTrail marks read-only although their names do not say so. */
    private static final Set<String> READ_ONLY = Set.of("Decrypt", "GenerateDataKey", "Encrypt", "AssumeRole",
        "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "BatchGetImage", "BatchCheckLayerAvailability", "HeadObject",
        "LookupEvents");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Who who;
    private final Instant time;
    private final String source;
    private final String name;
    private String region = Org.MAIN_REGION;
    private String ip;
    private String agent;
    private JsonNode request;
    private JsonNode response;
    private ObjectNode additional;
    private String errorCode;
    private String errorMessage;
    private String recipient;
    private String eventType = "AwsApiCall";
    private String vpcEndpoint;
    private String vpcEndpointAccount;
    private ArrayNode resources;
    private String sharedEventId;
    private boolean data;
    private boolean console;
    private Boolean readOnly;
    private ObjectNode serviceDetails;

    Call(Who who, Instant time, String source, String name) {
        this.who = who;
        this.time = time.truncatedTo(ChronoUnit.SECONDS);
        this.source = source;
        this.name = name;
        // a service acting on its own behalf is its own address and agent
        this.ip = "AWSService".equals(who.type()) ? who.name() : "AWS Internal";
        this.agent = this.ip;
    }

    Instant time() {
        return time;
    }

    Call region(String value) {
        region = value;
        return this;
    }

    Call from(String sourceIp, String userAgent) {
        ip = sourceIp;
        agent = userAgent;
        return this;
    }

    Call request(JsonNode value) {
        request = value;
        return this;
    }

    Call response(JsonNode value) {
        response = value;
        return this;
    }

    Call additional(ObjectNode value) {
        additional = value;
        return this;
    }

    Call error(String code, String message) {
        errorCode = code;
        errorMessage = message;
        return this;
    }

    Call recipient(String account) {
        recipient = account;
        return this;
    }

    Call eventType(String value) {
        eventType = value;
        return this;
    }

    /** A service event's {@code serviceEventDetails}; service events have no request or response. */
    Call serviceEvent(ObjectNode details) {
        eventType = "AwsServiceEvent";
        serviceDetails = details;
        return this;
    }

    Call readOnly(boolean value) {
        readOnly = value;
        return this;
    }

    /** A call that reached AWS through an interface or gateway VPC endpoint of {@code account}. */
    Call viaEndpoint(String endpointId, String account) {
        vpcEndpoint = endpointId;
        vpcEndpointAccount = account;
        return this;
    }

    Call resource(String type, String arn, String account) {
        if (resources == null) {
            resources = NODES.arrayNode();
        }
        ObjectNode r = resources.addObject();
        if (account != null) {
            r.put("accountId", account);
        }
        r.put("type", type);
        r.put("ARN", arn);
        return this;
    }

    Call shared(String eventId) {
        sharedEventId = eventId;
        return this;
    }

    /** A data event (S3 object, Lambda invoke): not a management event. */
    Call data() {
        data = true;
        return this;
    }

    /** A call made by the console on behalf of a console session. */
    Call console() {
        console = true;
        return this;
    }

    MonthEvent build(Draw draw) {
        String account = recipient != null ? recipient : who.account();
        ObjectNode e = NODES.objectNode();
        e.put("eventVersion", "AwsConsoleSignIn".equals(eventType) ? "1.09" : "1.10");
        e.set("userIdentity", identity());
        e.put("eventTime", time.toString());
        e.put("eventSource", source);
        e.put("eventName", name);
        e.put("awsRegion", region);
        e.put("sourceIPAddress", ip);
        e.put("userAgent", agent);
        outcome(e, draw);
        e.put("eventID", draw.uuid());
        e.put("readOnly", readOnly != null ? readOnly : isReadOnly(name));
        if (resources != null) {
            e.set("resources", resources);
        }
        e.put("eventType", eventType);
        e.put("managementEvent", !data);
        e.put("recipientAccountId", account);
        delivery(e);
        return new MonthEvent(time, account, region, e);
    }

    /** Error, request, response, additional data, service details and request id, in CloudTrail's order. */
    private void outcome(ObjectNode e, Draw draw) {
        if (errorCode != null) {
            e.put("errorCode", errorCode);
        }
        if (errorMessage != null) {
            e.put("errorMessage", errorMessage);
        }
        if (!"AwsServiceEvent".equals(eventType)) {
            e.set("requestParameters", request == null ? NODES.nullNode() : request);
            e.set("responseElements", response == null ? NODES.nullNode() : response);
        }
        if (additional != null) {
            e.set("additionalEventData", additional);
        }
        if (serviceDetails != null) {
            e.set("serviceEventDetails", serviceDetails);
        }
        if ("AwsApiCall".equals(eventType)) {
            e.put("requestID", source.startsWith("s3.") ? draw.s3RequestId() : draw.uuid());
        }
    }

    /** How the call arrived: shared event, VPC endpoint, category, TLS and console origin. */
    private void delivery(ObjectNode e) {
        if (sharedEventId != null) {
            e.put("sharedEventID", sharedEventId);
        }
        if (vpcEndpoint != null) {
            e.put("vpcEndpointId", vpcEndpoint);
            e.put("vpcEndpointAccountId", vpcEndpointAccount);
        }
        e.put("eventCategory", data ? "Data" : "Management");
        if (!ip.endsWith(".amazonaws.com") && !"AWS Internal".equals(ip)) {
            e.putObject("tlsDetails").put("tlsVersion", "TLSv1.3").put("cipherSuite", "TLS_AES_128_GCM_SHA256")
                .put("clientProvidedHostHeader", host());
        }
        if (console) {
            e.put("sessionCredentialFromConsole", "true");
        }
    }

    private ObjectNode identity() {
        ObjectNode id = who.json();
        // a service-linked or service role session acting for its service names the service
        if ("AssumedRole".equals(who.type()) && ip.endsWith(".amazonaws.com")) {
            id.put("invokedBy", ip);
        }
        return id;
    }

    private static boolean isReadOnly(String name) {
        return READ_ONLY.contains(name) || name.startsWith("Get") || name.startsWith("List") || name.startsWith("Describe")
            || name.startsWith("Lookup") || name.startsWith("Filter") || name.startsWith("BatchGet") || name.startsWith("Search");
    }

    private String host() {
        String service = source.substring(0, source.indexOf('.')).toLowerCase(Locale.ROOT);
        return switch (service) {
            case "iam" -> "iam.amazonaws.com";
            case "signin" -> "signin.aws.amazon.com";
            case "sts" -> "sts." + region + ".amazonaws.com";
            default -> service + "." + region + ".amazonaws.com";
        };
    }
}
