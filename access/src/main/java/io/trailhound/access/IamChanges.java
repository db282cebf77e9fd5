package io.trailhound.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Applies a successful CloudTrail IAM write event to the records of {@code trailhound.iam.snapshots} (in the form
 * {@link SnapshotRecords} reads), so the graph follows IAM between snapshots: the request parameters carry the new documents
 * (JSON text, or URL-encoded) and ARNs. An event older than the epoch of the record it changes is already in that snapshot and
 * is skipped; a change to an entity the records do not hold is not applied and says why (the next snapshot brings it).
 * {@link #EVENTS} lists what is understood; access keys and login profiles do not change the graph.
 */
public final class IamChanges {

    /** The records a change reads and writes: a key-value view of the snapshot records (JSON text values). */
    public interface Records {

        /** The value under {@code key}, or null. */
        String get(String key);

        void put(String key, String value);

        void delete(String key);

        /** The keys starting with {@code prefix}. */
        List<String> keys(String prefix);
    }

    /** What applying an event did: {@code changed} false with the reason when it changed nothing. */
    public record Outcome(boolean changed, String detail) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, Change> HANDLERS = new HashMap<>();

    /** One event's change: parameters, response, and the context to write through. */
    private interface Change {
        Outcome apply(Context c);
    }

    static {
        for (String kind : List.of("Role", "User", "Group")) {
            HANDLERS.put("Put" + kind + "Policy", c -> c.edit(kind, e -> inlinePut(e, kind, c)));
            HANDLERS.put("Delete" + kind + "Policy", c -> c.edit(kind, e -> inlineDelete(e, kind, c)));
            HANDLERS.put("Attach" + kind + "Policy", c -> c.edit(kind, e -> attach(e, c.param("policyArn"))));
            HANDLERS.put("Detach" + kind + "Policy", c -> c.edit(kind, e -> detach(e, c.param("policyArn"))));
            HANDLERS.put("Delete" + kind, c -> c.remove(kind));
        }
        for (String kind : List.of("Role", "User")) {
            HANDLERS.put("Put" + kind + "PermissionsBoundary", c -> c.edit(kind, e -> e.putObject("PermissionsBoundary")
                .put("PermissionsBoundaryType", "Policy").put("PermissionsBoundaryArn", c.param("permissionsBoundary"))));
            HANDLERS.put("Delete" + kind + "PermissionsBoundary", c -> c.edit(kind, e -> e.remove("PermissionsBoundary")));
        }
        HANDLERS.put("UpdateAssumeRolePolicy", c -> c.edit("Role", e -> e.set("AssumeRolePolicyDocument", c.document("policyDocument"))));
        HANDLERS.put("AddUserToGroup", c -> c.edit("User", e -> addString(e.withArray("GroupList"), c.param("groupName"))));
        HANDLERS.put("RemoveUserFromGroup", c -> c.edit("User", e -> removeString(e.withArray("GroupList"), c.param("groupName"))));
        HANDLERS.put("CreateRole", IamChanges::createRole);
        HANDLERS.put("CreateUser", c -> c.create("User", c.response("user")));
        HANDLERS.put("CreateGroup", c -> c.create("Group", c.response("group")));
        HANDLERS.put("CreatePolicy", IamChanges::createPolicy);
        HANDLERS.put("CreatePolicyVersion", IamChanges::createPolicyVersion);
        HANDLERS.put("SetDefaultPolicyVersion", c -> c.editPolicy(p -> setDefault(p, c.param("versionId"))));
        HANDLERS.put("DeletePolicyVersion", c -> c.editPolicy(p -> removeVersion(p, c.param("versionId"))));
        HANDLERS.put("DeletePolicy", c -> c.removePolicy());
    }

    /** The IAM event names this class applies. */
    public static final Set<String> EVENTS = Set.copyOf(HANDLERS.keySet());

    private IamChanges() {
    }

    /** True for an IAM write event this class applies (the caller still checks it succeeded). */
    public static boolean understands(String eventSource, String eventName) {
        return "iam.amazonaws.com".equals(eventSource) && EVENTS.contains(eventName);
    }

    /**
     * Applies one successful event of {@code accountId} at {@code eventTime} (epoch millis) with its request parameters and
     * response elements (JSON text; the response may be null) to {@code records}.
     */
    public static Outcome apply(Records records, String accountId, String eventName, long eventTime, String requestParameters,
                                String responseElements) {
        Change change = HANDLERS.get(eventName);
        if (change == null) {
            return new Outcome(false, eventName + " does not change the access graph");
        }
        try {
            JsonNode params = requestParameters == null ? NODES.objectNode() : SnapshotRecords.text(requestParameters);
            JsonNode response = responseElements == null ? NODES.objectNode() : SnapshotRecords.text(responseElements);
            return change.apply(new Context(records, accountId, eventName, eventTime, params, response));
        } catch (IllegalArgumentException e) {
            return new Outcome(false, eventName + " in " + accountId + ": " + e.getMessage());
        }
    }

    private static void inlinePut(ObjectNode entity, String kind, Context c) {
        ArrayNode list = entity.withArray(kind + "PolicyList");
        String name = c.param("policyName");
        removeNamed(list, "PolicyName", name);
        list.addObject().put("PolicyName", name).set("PolicyDocument", c.document("policyDocument"));
    }

    private static void inlineDelete(ObjectNode entity, String kind, Context c) {
        removeNamed(entity.withArray(kind + "PolicyList"), "PolicyName", c.param("policyName"));
    }

    private static void attach(ObjectNode entity, String arn) {
        ArrayNode list = entity.withArray("AttachedManagedPolicies");
        removeNamed(list, "PolicyArn", arn);
        list.addObject().put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1)).put("PolicyArn", arn);
    }

    private static void detach(ObjectNode entity, String arn) {
        removeNamed(entity.withArray("AttachedManagedPolicies"), "PolicyArn", arn);
    }

    private static Outcome createRole(Context c) {
        JsonNode role = c.response("role");
        ObjectNode entity = (ObjectNode) role.deepCopy();
        entity.set("AssumeRolePolicyDocument", c.document("assumeRolePolicyDocument"));
        return c.create("Role", entity);
    }

    private static Outcome createPolicy(Context c) {
        JsonNode policy = c.response("policy");
        ObjectNode entity = (ObjectNode) policy.deepCopy();
        entity.put("DefaultVersionId", "v1");
        entity.putArray("PolicyVersionList").addObject().put("VersionId", "v1").put("IsDefaultVersion", true)
            .set("Document", c.document("policyDocument"));
        return c.create("Policy", entity);
    }

    private static Outcome createPolicyVersion(Context c) {
        boolean makeDefault = c.params.path("setAsDefault").asBoolean(false);
        String id = c.responseElements.path("policyVersion").path("versionId").asText("");
        return c.editPolicy(p -> {
            String versionId = id.isEmpty() ? "v" + (p.withArray("PolicyVersionList").size() + 1) : id;
            removeNamed(p.withArray("PolicyVersionList"), "VersionId", versionId);
            p.withArray("PolicyVersionList").addObject().put("VersionId", versionId).put("IsDefaultVersion", false)
                .set("Document", c.document("policyDocument"));
            if (makeDefault) {
                setDefault(p, versionId);
            }
        });
    }

    private static void setDefault(ObjectNode policy, String versionId) {
        boolean found = false;
        for (JsonNode v : policy.withArray("PolicyVersionList")) {
            boolean is = versionId.equals(v.path("VersionId").asText());
            found |= is;
            ((ObjectNode) v).put("IsDefaultVersion", is);
        }
        if (!found) {
            throw new IllegalArgumentException("version " + versionId + " of " + policy.path("Arn").asText() + " is not known");
        }
        policy.put("DefaultVersionId", versionId);
    }

    private static void removeVersion(ObjectNode policy, String versionId) {
        removeNamed(policy.withArray("PolicyVersionList"), "VersionId", versionId);
    }

    private static void removeNamed(ArrayNode list, String field, String value) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (value.equals(list.get(i).path(field).asText())) {
                list.remove(i);
            }
        }
    }

    private static void addString(ArrayNode list, String value) {
        removeString(list, value);
        list.add(value);
    }

    private static void removeString(ArrayNode list, String value) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (value.equals(list.get(i).asText())) {
                list.remove(i);
            }
        }
    }

    /** Capitalizes the first letter of every field name, recursively: CloudTrail's response elements use camel case. */
    static JsonNode capitalized(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            node.fields().forEachRemaining(f -> out.set(Character.toUpperCase(f.getKey().charAt(0)) + f.getKey().substring(1),
                capitalized(f.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(n -> out.add(capitalized(n)));
            return out;
        }
        return node;
    }

    /** One event being applied. */
    private static final class Context {

        private final Records records;
        private final String account;
        private final String event;
        private final long time;
        private final JsonNode params;
        private final JsonNode responseElements;

        Context(Records records, String account, String event, long time, JsonNode params, JsonNode responseElements) {
            this.records = records;
            this.account = account;
            this.event = event;
            this.time = time;
            this.params = params;
            this.responseElements = responseElements;
        }

        String param(String name) {
            String value = params.path(name).asText("");
            if (value.isEmpty()) {
                throw new IllegalArgumentException("requestParameters." + name + " missing");
            }
            return value;
        }

        /** A policy document parameter, as the JSON object the records hold (checked as a policy). */
        JsonNode document(String name) {
            JsonNode raw = params.get(name);
            if (raw == null || raw.isNull()) {
                throw new IllegalArgumentException("requestParameters." + name + " missing");
            }
            PolicyDocument.parse(name, raw, "requestParameters." + name);
            return raw.isTextual() ? PolicyDocument.decode(raw.asText(), "requestParameters." + name) : raw;
        }

        /** The response element (in GAAD's capitalized field names). */
        JsonNode response(String name) {
            JsonNode node = responseElements.get(name);
            if (node == null || !node.isObject() || node.path("arn").asText("").isEmpty()) {
                throw new IllegalArgumentException("responseElements." + name + ".arn missing");
            }
            return capitalized(node);
        }

        Outcome edit(String kind, Consumer<ObjectNode> edit) {
            return edit(kind, edit, false);
        }

        /** Edits (or deletes) the user, role or group the event names by {@code <kind>Name}. */
        Outcome edit(String kind, Consumer<ObjectNode> edit, boolean delete) {
            String lower = kind.toLowerCase(Locale.ROOT);
            String name = param(lower + "Name");
            for (String key : records.keys(SnapshotRecords.key(account, "arn:aws:iam::" + account + ":" + lower + "/"))) {
                ObjectNode record = record(key);
                if (record != null && name.equals(record.path("entity").path(kind + "Name").asText())) {
                    return write(key, record, r -> edit.accept((ObjectNode) r.get("entity")), delete);
                }
            }
            return new Outcome(false, event + ": " + lower + " " + name + " of " + account + " is not in the snapshot");
        }

        Outcome editPolicy(Consumer<ObjectNode> edit) {
            return editPolicy(edit, false);
        }

        Outcome editPolicy(Consumer<ObjectNode> edit, boolean delete) {
            String key = SnapshotRecords.key(account, param("policyArn"));
            ObjectNode record = record(key);
            if (record == null) {
                return new Outcome(false, event + ": policy " + param("policyArn") + " is not in the snapshot");
            }
            return write(key, record, r -> edit.accept((ObjectNode) r.get("entity")), delete);
        }

        Outcome remove(String kind) {
            return edit(kind, e -> { }, true);
        }

        Outcome removePolicy() {
            return editPolicy(e -> { }, true);
        }

        Outcome create(String kind, JsonNode entity) {
            String arn = entity.path("Arn").asText();
            String key = SnapshotRecords.key(account, arn);
            ObjectNode existing = record(key);
            long epoch = existing != null ? existing.path("epoch").asLong() : markerEpoch();
            if (epoch > time) {
                return new Outcome(false, event + ": " + arn + " older than the snapshot");
            }
            ObjectNode record = NODES.objectNode().put("format", SnapshotRecords.FORMAT).put("accountId", account).put("epoch", epoch)
                .put("kind", kind).put("arn", arn);
            record.set("entity", entity);
            records.put(key, record.toString());
            return new Outcome(true, event + ": " + arn);
        }

        private long markerEpoch() {
            ObjectNode marker = record(SnapshotRecords.key(account, SnapshotRecords.MARKER));
            return marker == null ? 0 : marker.path("epoch").asLong();
        }

        private Outcome write(String key, ObjectNode record, Consumer<ObjectNode> edit, boolean delete) {
            if (record.path("epoch").asLong() > time) {
                return new Outcome(false, event + ": " + key + " older than the snapshot");
            }
            edit.accept(record);
            if (delete) {
                records.delete(key);
            } else {
                records.put(key, record.toString());
            }
            return new Outcome(true, event + ": " + key);
        }

        private ObjectNode record(String key) {
            String value = records.get(key);
            if (value == null) {
                return null;
            }
            JsonNode node = SnapshotRecords.text(value);
            return node.isObject() ? (ObjectNode) node : null;
        }
    }
}
