package io.trailhound.connector.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one snapshot of one account read, before anything is written: the records' values by key suffix, the entities
 * that go to the dead-letter topic instead (with the reason), what could not be read ({@code partial}) and the counts.
 */
final class AccountSnapshot {

    static final String FORMAT = "trailhound.iam.snapshot.v1";
    static final List<String> KINDS = List.of("User", "Group", "Role", "Policy");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String account;
    private final long epoch;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, DeadEntity> dead = new LinkedHashMap<>();
    private final List<String> partial = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final int maxRecordBytes;
    private boolean entitiesComplete = true;
    private boolean scpComplete;

    /** An entity not forwarded: its value as read (null when too large to carry) and why. */
    record DeadEntity(String value, String reason) {
    }

    AccountSnapshot(String account, long epoch, int maxRecordBytes) {
        this.account = account;
        this.epoch = epoch;
        this.maxRecordBytes = maxRecordBytes;
        KINDS.forEach(kind -> counts.put(kind, 0));
    }

    String account() {
        return account;
    }

    long epoch() {
        return epoch;
    }

    /** Adds one entity of GetAccountAuthorizationDetails (documents still as IAM sent them), decoding its documents. */
    void entity(String kind, ObjectNode entity) {
        String arn = entity.path("Arn").asText("");
        counts.merge(kind, 1, Integer::sum);
        List<String> problems = PolicyDocuments.decodeDocuments(entity, kind + " " + arn);
        String value = value(kind, arn, entity);
        if (!problems.isEmpty()) {
            dead.put(arn, new DeadEntity(fits(value) ? value : null, "policy document not readable: " + String.join("; ", problems)));
        } else if (!fits(value)) {
            dead.put(arn, new DeadEntity(null, "record of " + bytes(value) + " bytes exceeds max.record.bytes (" + maxRecordBytes + ")"));
        } else {
            values.put(arn, value);
        }
    }

    /** Sets the account's SCP levels, from the organization root down to the account. */
    void scps(List<List<ObjectNode>> levels) {
        ObjectNode entity = JSON.createObjectNode();
        levels.forEach(level -> entity.withArray("levels").addArray().addAll(level));
        if (levels.isEmpty()) {
            entity.putArray("levels");
        }
        String value = value("Scp", SnapshotKeys.SCP, entity);
        if (fits(value)) {
            values.put(SnapshotKeys.SCP, value);
            scpComplete = true;
        } else {
            dead.put(SnapshotKeys.SCP, new DeadEntity(null, "SCP record of " + bytes(value) + " bytes exceeds max.record.bytes ("
                + maxRecordBytes + ")"));
        }
    }

    /** The entities' part could not be read to the end: nothing of it is deleted. */
    void entitiesIncomplete(String why) {
        entitiesComplete = false;
        partial.add(why);
    }

    /** The SCPs could not be read. */
    void scpsIncomplete(String why) {
        partial.add(why);
    }

    Map<String, String> values() {
        return values;
    }

    Map<String, DeadEntity> dead() {
        return dead;
    }

    boolean entitiesComplete() {
        return entitiesComplete;
    }

    boolean scpComplete() {
        return scpComplete;
    }

    /** The keys this snapshot writes a value for. */
    Set<String> written() {
        return new TreeSet<>(values.keySet());
    }

    /** The end-of-snapshot marker's value. */
    String marker(String startedAt, String finishedAt) {
        ObjectNode entity = JSON.createObjectNode();
        List<String> all = new ArrayList<>(partial);
        dead.forEach((arn, d) -> all.add(arn + ": " + d.reason()));
        entity.put("complete", all.isEmpty());
        com.fasterxml.jackson.databind.node.ArrayNode partialNode = entity.putArray("partial");
        all.forEach(partialNode::add);
        ObjectNode countNode = entity.putObject("counts");
        counts.forEach(countNode::put);
        entity.put("startedAt", startedAt).put("finishedAt", finishedAt);
        return value("Snapshot", SnapshotKeys.SNAPSHOT, entity);
    }

    private String value(String kind, String arn, JsonNode entity) {
        ObjectNode value = JSON.createObjectNode().put("format", FORMAT).put("accountId", account).put("epoch", epoch)
            .put("kind", kind).put("arn", arn);
        value.set("entity", entity);
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a record value", e);
        }
    }

    private boolean fits(String value) {
        return bytes(value) <= maxRecordBytes;
    }

    private static int bytes(String value) {
        return value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
