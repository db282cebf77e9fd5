package io.trailhound.access;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link Snapshot} from the records of {@code trailhound.iam.snapshots} (format {@code trailhound.iam.snapshot.v1}): per
 * account, the User, Group, Role and Policy entities are put back into the four lists of a
 * {@code get-account-authorization-details} output and read by {@link GaadParser}; the Scp entity gives the SCP levels, the
 * Snapshot marker the epoch and what the snapshot could not read. A record that cannot be read is left out and named in
 * {@code unsupported} (never a failure of the whole build); an account whose marker says partial is named there too.
 *
 * <p>AWS managed policies an entity references but no record contains are unknown (CONDITIONAL), as for the offline reader,
 * except {@link #BUNDLED}: {@code AdministratorAccess}, whose document AWS defines as Allow {@code *} on {@code *}.
 */
public final class SnapshotRecords {

    /** The {@code format} of every record this version reads. */
    public static final String FORMAT = "trailhound.iam.snapshot.v1";
    /** The arn of the account's SCP record and of its end-of-snapshot marker (after the {@code |}). */
    public static final String SCP = "scp";
    public static final String MARKER = "snapshot";
    /** AWS managed policies whose documents are well known, used when a snapshot references them without listing them. */
    public static final Map<String, String> BUNDLED = Map.of("arn:aws:iam::aws:policy/AdministratorAccess",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> LISTS = Map.of("User", "UserDetailList", "Group", "GroupDetailList",
        "Role", "RoleDetailList", "Policy", "Policies");

    /** The snapshot and, per account, the epoch of the snapshot its records come from. */
    public record Built(Snapshot snapshot, Map<String, Long> epochs) {

        public Built {
            epochs = Map.copyOf(epochs);
        }
    }

    private SnapshotRecords() {
    }

    /** The record key of an entity, an account's SCPs ({@link #SCP}) or its marker ({@link #MARKER}). */
    public static String key(String accountId, String arn) {
        return accountId + "|" + arn;
    }

    /** The account id of a record key, or null when the key has no {@code |}. */
    public static String accountOf(String key) {
        int bar = key == null ? -1 : key.indexOf('|');
        return bar <= 0 ? null : key.substring(0, bar);
    }

    /**
     * The records a snapshot connector writes for one account from a {@code get-account-authorization-details} output and an
     * optional SCP file ({@code [...]} or {@code {"levels": [...]}}, null for none), with a complete end-of-snapshot marker:
     * for tests and tools that publish a snapshot directory. Documents are decoded to JSON objects as the contract says.
     */
    public static Map<String, String> of(String accountId, long epoch, JsonNode gaad, JsonNode scp) {
        Map<String, String> records = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        LISTS.forEach((kind, list) -> {
            counts.put(kind, gaad.path(list).size());
            for (JsonNode entity : gaad.path(list)) {
                ObjectNode copy = entity.deepCopy();
                decodeDocuments(copy);
                records.put(key(accountId, copy.path("Arn").asText()), record(accountId, epoch, kind, copy.path("Arn").asText(), copy));
            }
        });
        if (scp != null) {
            ObjectNode levels = JSON.createObjectNode();
            levels.set("levels", scp.isArray() ? JSON.createArrayNode().add(scp) : scp.path("levels"));
            records.put(key(accountId, SCP), record(accountId, epoch, "Scp", SCP, levels));
        }
        ObjectNode marker = JSON.createObjectNode().put("complete", true);
        marker.putArray("partial");
        ObjectNode c = marker.putObject("counts");
        counts.forEach(c::put);
        String at = java.time.Instant.ofEpochMilli(epoch).toString();
        marker.put("startedAt", at).put("finishedAt", at);
        records.put(key(accountId, MARKER), record(accountId, epoch, "Snapshot", MARKER, marker));
        return records;
    }

    private static String record(String accountId, long epoch, String kind, String arn, JsonNode entity) {
        ObjectNode r = JSON.createObjectNode().put("format", FORMAT).put("accountId", accountId).put("epoch", epoch).put("kind", kind)
            .put("arn", arn);
        r.set("entity", entity);
        return r.toString();
    }

    private static void decodeDocuments(ObjectNode entity) {
        decode(entity, "AssumeRolePolicyDocument");
        for (String list : List.of("UserPolicyList", "GroupPolicyList", "RolePolicyList")) {
            entity.path(list).forEach(p -> decode((ObjectNode) p, "PolicyDocument"));
        }
        entity.path("PolicyVersionList").forEach(v -> decode((ObjectNode) v, "Document"));
    }

    private static void decode(ObjectNode node, String field) {
        if (node.path(field).isTextual()) {
            node.set(field, PolicyDocument.decode(node.get(field).asText(), field));
        }
    }

    /** Builds the snapshot of every account the {@code records} (key to JSON value, tombstones already removed) hold. */
    public static Built build(Map<String, String> records, SnapshotOptions options) {
        Map<String, AccountRecords> byAccount = new TreeMap<>();
        Set<String> notes = new TreeSet<>();
        new TreeMap<>(records).forEach((key, value) -> {
            try {
                JsonNode record = read(key, value);
                byAccount.computeIfAbsent(record.get("accountId").asText(), AccountRecords::new).add(key, record);
            } catch (IllegalArgumentException e) {
                notes.add(e.getMessage() + "; the record is left out");
            }
        });
        Map<String, Account> accounts = new TreeMap<>();
        Map<String, Long> epochs = new TreeMap<>();
        for (AccountRecords account : byAccount.values()) {
            Account built = account.build(notes);
            if (built != null) {
                accounts.put(account.id, built);
                epochs.put(account.id, account.epoch);
            }
        }
        bundle(accounts, notes);
        notes.addAll(SnapshotReader.missingPolicies(accounts));
        return new Built(new Snapshot(accounts, options, notes), epochs);
    }

    /** Parses and checks one record; the message of the exception names the key and what is wrong. */
    static JsonNode read(String key, String value) {
        JsonNode record;
        try {
            record = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record " + key + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (record == null || !record.isObject() || !FORMAT.equals(record.path("format").asText())) {
            throw new IllegalArgumentException("record " + key + ": not a " + FORMAT + " object");
        }
        String account = record.path("accountId").asText();
        String kind = record.path("kind").asText();
        if (!account.matches("\\d{12}") || !key.equals(key(account, record.path("arn").asText()))) {
            throw new IllegalArgumentException("record " + key + ": key must be <accountId>|<arn> of the value");
        }
        if (!LISTS.containsKey(kind) && !"Scp".equals(kind) && !"Snapshot".equals(kind)) {
            throw new IllegalArgumentException("record " + key + ": kind must be User, Group, Role, Policy, Scp or Snapshot, was "
                + kind);
        }
        if (!record.path("entity").isObject() || !record.path("epoch").canConvertToLong()) {
            throw new IllegalArgumentException("record " + key + ": entity must be an object and epoch a number");
        }
        return record;
    }

    /** Adds the bundled copy of a well-known AWS managed policy an account references and no account lists. */
    private static void bundle(Map<String, Account> accounts, Set<String> notes) {
        Set<String> listed = new HashSet<>();
        accounts.values().forEach(a -> listed.addAll(a.managedPolicies().keySet()));
        for (Map.Entry<String, Account> entry : accounts.entrySet()) {
            Account a = entry.getValue();
            Set<String> referenced = new HashSet<>();
            a.identities().values().forEach(i -> {
                referenced.addAll(i.attached());
                if (i.boundary() != null) {
                    referenced.add(i.boundary());
                }
            });
            a.groups().values().forEach(g -> referenced.addAll(g.attached()));
            Map<String, PolicyDocument> policies = new TreeMap<>(a.managedPolicies());
            for (String arn : referenced) {
                if (BUNDLED.containsKey(arn) && !listed.contains(arn)) {
                    policies.put(arn, PolicyDocument.parse(arn, text(BUNDLED.get(arn)), "bundled " + arn));
                    listed.add(arn);
                    notes.add("AWS managed policy " + arn + " is not in the snapshot: Trailhound's bundled copy (Allow * on *) is used");
                }
            }
            if (policies.size() != a.managedPolicies().size()) {
                entry.setValue(new Account(a.id(), a.identities(), a.groups(), policies, a.scpLevels()));
            }
        }
    }

    static JsonNode text(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** One account's records, reassembled. */
    private static final class AccountRecords {

        private final String id;
        private final Map<String, JsonNode> entities = new TreeMap<>();
        private JsonNode scp;
        private JsonNode marker;
        private long epoch;

        AccountRecords(String id) {
            this.id = id;
        }

        void add(String key, JsonNode record) {
            String kind = record.get("kind").asText();
            if ("Scp".equals(kind)) {
                scp = record;
            } else if ("Snapshot".equals(kind)) {
                marker = record;
            } else {
                entities.put(key, record);
            }
            epoch = Math.max(epoch, record.get("epoch").asLong());
        }

        /** The account, leaving out entities GaadParser rejects (named in {@code notes}); null when nothing is left. */
        Account build(Set<String> notes) {
            markerNotes(notes);
            List<List<PolicyDocument>> levels = List.of();
            if (scp != null) {
                try {
                    levels = SnapshotReader.scpLevels("record " + key(id, SCP), scp.get("entity"));
                } catch (IllegalArgumentException e) {
                    notes.add(e.getMessage() + "; the account's SCPs are not applied");
                }
            }
            if (entities.isEmpty()) {
                return scp == null && marker == null ? null : GaadParser.account(id, "records", gaad(entities.keySet()), levels);
            }
            try {
                return GaadParser.account(id, "records of account " + id, gaad(entities.keySet()), levels);
            } catch (IllegalArgumentException whole) {
                Set<String> good = new TreeSet<>();
                for (String key : entities.keySet()) {
                    try {
                        GaadParser.account(id, "record " + key, gaad(Set.of(key)), List.of());
                        good.add(key);
                    } catch (IllegalArgumentException e) {
                        notes.add(e.getMessage() + "; the record is left out");
                    }
                }
                return GaadParser.account(id, "records of account " + id, gaad(good), levels);
            }
        }

        private void markerNotes(Set<String> notes) {
            if (marker == null) {
                notes.add("account " + id + ": no end-of-snapshot record yet (a snapshot in progress, or none finished)");
                return;
            }
            JsonNode m = marker.get("entity");
            if (!m.path("complete").asBoolean(false)) {
                List<String> partial = new ArrayList<>();
                m.path("partial").forEach(p -> partial.add(p.asText()));
                notes.add("account " + id + ": the snapshot is partial" + (partial.isEmpty() ? "" : " (" + String.join("; ", partial)
                    + ")") + "; what it could not read is missing from the graph");
            }
        }

        private ObjectNode gaad(Set<String> keys) {
            ObjectNode gaad = JSON.createObjectNode();
            LISTS.values().forEach(gaad::putArray);
            for (String key : keys) {
                JsonNode record = entities.get(key);
                ((ArrayNode) gaad.get(LISTS.get(record.get("kind").asText()))).add(record.get("entity"));
            }
            return gaad;
        }
    }
}
