package io.trailhound.detect.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.CloudTrailResource;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.detect.environment.AddressClass;
import io.trailhound.detect.environment.AwsIpRanges;
import io.trailhound.detect.environment.Environment;

/**
 * A normalized event as one JSON tree that rule conditions address by dotted paths (CloudTrail's field names, with
 * {@code userIdentity} standing for the resolved principal); JSON text fields are parsed once, embedded JSON strings on demand.
 */
public final class EventView {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Session names of instance-profile credentials: EC2 names the session after the instance. */
    private static final Pattern INSTANCE_SESSION = Pattern.compile("i-[0-9a-f]{8,17}");
    /** Rule paths split once (the rule set is fixed, so this stays small). */
    private static final Map<String, String[]> SEGMENTS = new ConcurrentHashMap<>();

    private final CloudTrailEvent event;
    private final Environment environment;
    private final ObjectNode tree;
    private AwsIpRanges.Source source;

    /** A view of {@code event} in the {@linkplain Environment#defaults() default environment}. */
    public EventView(CloudTrailEvent event) {
        this(event, Environment.defaults());
    }

    /**
     * A view of {@code event} in {@code environment}; the parts read from JSON text are built when a path first reaches them,
     * and {@code context.*} holds what the environment says of the event (see {@link #context()}).
     */
    public EventView(CloudTrailEvent event, Environment environment) {
        this.event = event;
        this.environment = environment;
        this.tree = MAPPER.createObjectNode();
    }

    /**
     * The top-level node {@code name}, built on first use (an event's rules read few of its fields): the event's scalars as
     * text (null as a null node), the JSON text fields parsed, the principal and resources converted.
     */
    private JsonNode root(String name) {
        JsonNode n = tree.get(name);
        if (n != null) {
            return n;
        }
        JsonNode built = switch (name) {
            case "eventName" -> node(event.getEventName());
            case "eventSource" -> node(event.getEventSource());
            case "eventType" -> node(event.getEventType());
            case "eventCategory" -> node(event.getEventCategory());
            case "awsRegion" -> node(event.getAwsRegion());
            case "recipientAccountId" -> node(event.getRecipientAccountId());
            case "sourceIPAddress" -> node(event.getSourceIpAddress());
            case "userAgent" -> node(event.getUserAgent());
            case "errorCode" -> node(event.getErrorCode());
            case "errorMessage" -> node(event.getErrorMessage());
            case "vpcEndpointId" -> node(event.getVpcEndpointId());
            case "readOnly" -> event.getReadOnly() == null ? null : BooleanNode.valueOf(event.getReadOnly());
            default -> lazy(name);
        };
        if (built != null) {
            tree.set(name, built);
        }
        return built;
    }

    /** The parts read from JSON text or converted from the event's structures; null for a name the view does not have. */
    private JsonNode lazy(String name) {
        return switch (name) {
            case "requestParameters" -> parse(event.getRequestParameters());
            case "responseElements" -> parse(event.getResponseElements());
            case "additionalEventData" -> parse(event.getAdditionalEventData());
            case "userIdentity" -> identity(event.getPrincipal());
            case "context" -> context();
            case "resources" -> resources(event.getResources());
            default -> null;
        };
    }

    private static JsonNode node(String value) {
        return value == null ? NullNode.getInstance() : TextNode.valueOf(value);
    }

    /** The event this view shows. */
    public CloudTrailEvent event() {
        return event;
    }

    /** The environment the event is judged in. */
    public Environment environment() {
        return environment;
    }

    /** The kind of address the call came from, by AWS's published ranges. */
    public AddressClass sourceAddress() {
        return source().kind();
    }

    /** The region of an EC2 source address, else empty. */
    public String sourceEc2Region() {
        return source().ec2Region();
    }

    private AwsIpRanges.Source source() {
        if (source == null) {
            source = environment.ipRanges().lookup(event.getSourceIpAddress());
        }
        return source;
    }

    /** True when the caller holds an EC2 instance profile's credentials (a role session named after its instance). */
    public boolean instanceCredential() {
        Principal p = event.getPrincipal();
        return p.getType() == PrincipalType.AssumedRole && p.getSessionName() != null
                && INSTANCE_SESSION.matcher(p.getSessionName()).matches();
    }

    /** Adds a fact found by a stateful stage (a baseline, the instances' addresses) as {@code context.<name>}. */
    public void putContext(String name, String value) {
        ((ObjectNode) root("context")).put(name, value);
    }

    /** Adds a list of facts as {@code context.<name>} (a rule's {@code eq} then matches any of them). */
    public void putContext(String name, Collection<String> values) {
        ArrayNode array = ((ObjectNode) root("context")).putArray(name);
        values.forEach(array::add);
    }

    private static List<JsonNode> single(JsonNode v) {
        List<JsonNode> leaves = new ArrayList<>(1);
        if (v != null && !v.isNull()) {
            leaves.add(v);
        }
        return leaves;
    }

    /** What {@link #context()} holds at {@code name} while nothing has been {@linkplain #putContext put} (null: nothing). */
    private JsonNode contextField(String name) {
        return switch (name) {
            case "sourceAddress" -> TextNode.valueOf(sourceAddress().id());
            case "sourceEc2Region" -> sourceEc2Region().isEmpty() ? null : TextNode.valueOf(sourceEc2Region());
            case "instanceCredential" -> BooleanNode.valueOf(instanceCredential());
            case "automation" -> BooleanNode.valueOf(environment.isAutomation(event.getPrincipal().getArn()));
            default -> null;
        };
    }

    /**
     * The facts rules read under {@code context}: {@code sourceAddress} ({@link AddressClass#id()}), {@code sourceEc2Region}
     * (the region of an EC2 source address), {@code instanceCredential} and {@code automation} (a configured CI/CD or
     * infrastructure-as-code identity), plus what stateful stages {@linkplain #putContext add}.
     */
    private ObjectNode context() {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("sourceAddress", sourceAddress().id());
        if (!sourceEc2Region().isEmpty()) {
            c.put("sourceEc2Region", sourceEc2Region());
        }
        c.put("instanceCredential", instanceCredential());
        Principal p = event.getPrincipal();
        c.put("automation", environment.isAutomation(p.getArn()));
        return c;
    }

    /**
     * Every value at {@code path}: segments descend into objects, fan out over arrays, and step into JSON text
     * (CloudTrail writes policy documents as strings); empty when nothing is there.
     */
    public List<JsonNode> values(String path) {
        String[] segments = SEGMENTS.computeIfAbsent(path, p -> p.split("\\."));
        if (segments.length == 2 && tree.get(segments[0]) == null) {
            // the caller's fields straight from the principal, a fact of the context on its own: without building the whole
            // object (or looking up the source address for a rule that stops at the caller)
            if ("userIdentity".equals(segments[0])) {
                return single(identityField(event.getPrincipal(), segments[1]));
            }
            if ("context".equals(segments[0])) {
                return single(contextField(segments[1]));
            }
        }
        JsonNode top = root(segments[0]);
        if (top == null || top.isNull()) {
            return List.of();
        }
        List<JsonNode> current = List.of(top);
        for (int i = 1; i < segments.length; i++) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                step(expand(node), segments[i], next);
            }
            current = next;
        }
        List<JsonNode> leaves = new ArrayList<>();
        for (JsonNode n : current) {
            flattenArrays(n, leaves);
        }
        return leaves;
    }

    /** The first text value at {@code path}, or null. */
    public String text(String path) {
        for (JsonNode n : values(path)) {
            if (n.isValueNode() && !n.isNull()) {
                return n.asText();
            }
        }
        return null;
    }

    private static void step(JsonNode node, String segment, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                step(expand(element), segment, out);
            }
            return;
        }
        JsonNode child = node.get(segment);
        if (child != null && !child.isNull()) {
            out.add(child);
        }
    }

    private static void flattenArrays(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode element : node) {
                flattenArrays(element, out);
            }
        } else {
            out.add(node);
        }
    }

    /** JSON text that holds an object or array (a policy document as a string) is read as that structure. */
    static JsonNode expand(JsonNode node) {
        if (node instanceof TextNode text) {
            String s = text.asText().trim();
            if (s.startsWith("{") || s.startsWith("[")) {
                return parse(s);
            }
        }
        return node;
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(json);
        }
    }

    /** What {@link #identity} holds at {@code field} (null when it holds nothing there). */
    private static JsonNode identityField(Principal p, String field) {
        return switch (field) {
            case "type" -> TextNode.valueOf(p.getType().name());
            case "principalKey" -> node(p.getPrincipalKey());
            case "arn" -> node(p.getArn());
            case "sessionArn" -> node(p.getSessionArn());
            case "accountId" -> node(p.getAccountId());
            case "principalId" -> node(p.getPrincipalId());
            case "userName" -> node(p.getUserName());
            case "sessionName" -> node(p.getSessionName());
            case "accessKeyId" -> node(p.getAccessKeyId());
            case "invokedBy" -> node(p.getInvokedBy());
            case "sessionIssuerArn" -> node(p.getSessionIssuerArn());
            case "mfaAuthenticated" -> p.getMfaAuthenticated() == null ? null : BooleanNode.valueOf(p.getMfaAuthenticated());
            default -> null;
        };
    }

    private static ObjectNode identity(Principal p) {
        ObjectNode id = MAPPER.createObjectNode();
        id.put("type", p.getType().name());
        id.put("principalKey", p.getPrincipalKey());
        id.put("arn", p.getArn());
        id.put("sessionArn", p.getSessionArn());
        id.put("accountId", p.getAccountId());
        id.put("principalId", p.getPrincipalId());
        id.put("userName", p.getUserName());
        id.put("sessionName", p.getSessionName());
        id.put("accessKeyId", p.getAccessKeyId());
        id.put("invokedBy", p.getInvokedBy());
        id.put("sessionIssuerArn", p.getSessionIssuerArn());
        if (p.getMfaAuthenticated() != null) {
            id.put("mfaAuthenticated", p.getMfaAuthenticated());
        }
        return id;
    }

    private static ArrayNode resources(List<CloudTrailResource> resources) {
        ArrayNode array = MAPPER.createArrayNode();
        for (CloudTrailResource r : resources) {
            ObjectNode n = array.addObject();
            n.put("ARN", r.getArn());
            n.put("type", r.getType());
            n.put("accountId", r.getAccountId());
        }
        return array;
    }
}
