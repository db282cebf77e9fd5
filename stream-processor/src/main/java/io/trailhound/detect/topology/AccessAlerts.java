package io.trailhound.detect.topology;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.access.AccessSummary;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;
import io.trailhound.avro.PrincipalType;
import io.trailhound.avro.RuleKind;
import io.trailhound.avro.Severity;

/**
 * The alerts of the access stage (#15), raised when IAM changes from CloudTrail changed the graph:
 * <ul>
 *   <li>{@link #ADMIN} (HIGH): a principal that was not administrator-equivalent now is (its own policies, a self-escalation,
 *       or a reachable administrator), with the shortest path as evidence;</li>
 *   <li>{@link #CROSS_ACCOUNT} (MEDIUM): a principal reaches an account it did not reach before, with the path to the first
 *       principal it reaches there.</li>
 * </ul>
 * The alert is about the principal whose access changed (keyed like the normalizer keys it, so its incident key and the
 * incident grouping follow); the changes behind it are its {@code eventIds} and, in the evidence, who made them.
 */
final class AccessAlerts {

    static final String ADMIN = "TH-ACC-001";
    static final String CROSS_ACCOUNT = "TH-ACC-002";
    static final String ADMIN_DESCRIPTION = "An IAM change made this principal administrator-equivalent: by its effective permissions "
        + "(a policy granting * on * whatever its name, within its boundary and SCPs), a self-escalation it can perform, or an "
        + "administrator it can now reach. Anyone holding its credentials, or able to become it, now controls the account. The "
        + "evidence is the shortest path; the event ids are the changes applied since the previous graph.";
    static final String CROSS_ACCOUNT_DESCRIPTION = "An IAM change opened a path from this principal into an account it could not "
        + "reach before (a trust policy naming it or its account, a permission to assume a role there, or a path through another "
        + "principal). A new cross-account path widens the blast radius of a compromise of this principal. The evidence is the "
        + "path to the first principal reached in the new account.";
    private static final int EVIDENCE_CHARS = 1000;
    private static final int MAX_EVENT_IDS = 20;

    private final Mode mode;

    AccessAlerts(Mode mode) {
        this.mode = mode;
    }

    /** The alerts for the changes between {@code before} and {@code now}, caused by the {@code changes} (stage JSON values). */
    List<Alert> of(Map<String, AccessSummary> before, Map<String, AccessSummary> now, List<JsonNode> changes) {
        List<Alert> out = new ArrayList<>();
        for (Map.Entry<String, AccessSummary> e : now.entrySet()) {
            AccessSummary old = before.get(e.getKey());
            AccessSummary current = e.getValue();
            if (current.adminEquivalent() && (old == null || !old.adminEquivalent())) {
                out.add(alert(ADMIN, current, current.adminPath().isEmpty() ? "its own policies grant * on *"
                    : AccessSummary.describe(current.adminPath()), "", changes));
            }
            for (String account : current.otherAccounts()) {
                if (old == null || !old.otherAccounts().contains(account)) {
                    out.add(alert(CROSS_ACCOUNT, current, AccessSummary.describe(current.crossAccount().get(account)), account, changes));
                }
            }
        }
        return out;
    }

    private Alert alert(String rule, AccessSummary s, String path, String entity, List<JsonNode> changes) {
        String account = s.principal().split(":")[4];
        boolean role = s.principal().contains(":role/");
        List<String> eventIds = new ArrayList<>();
        List<String> made = new ArrayList<>();
        for (JsonNode c : changes) {
            if (eventIds.size() < MAX_EVENT_IDS) {
                eventIds.add(c.path("eventId").asText());
                made.add(c.path("eventName").asText() + " by " + c.path("actor").asText("?"));
            }
        }
        JsonNode first = changes.get(0);
        JsonNode last = changes.get(changes.size() - 1);
        String dedupKey = rule + "|" + account + "/" + s.principal() + "|" + entity;
        String alertId = UUID.nameUUIDFromBytes((dedupKey + "|" + eventIds.get(0) + "|" + first.path("eventTime").asLong())
            .getBytes(StandardCharsets.UTF_8)).toString();
        String evidence = "path: " + path + " | after " + String.join(", ", made);
        Principal principal = Principal.newBuilder().setType(role ? PrincipalType.AssumedRole : PrincipalType.IAMUser)
            .setPrincipalKey(account + "/" + s.principal()).setArn(s.principal()).setAccountId(account)
            .setUserName(s.principal().substring(s.principal().lastIndexOf('/') + 1)).build();
        Entities entities = Entities.newBuilder().setRoleArns(role ? List.of(s.principal()) : List.of())
            .setUserNames(role ? List.of() : List.of(principal.getUserName())).build();
        boolean admin = ADMIN.equals(rule);
        return Alert.newBuilder()
            .setAlertId(alertId)
            .setDedupKey(dedupKey)
            .setRuleId(rule)
            .setRuleKind(RuleKind.SIGNATURE)
            .setTitle(admin ? "Principal became administrator-equivalent" : "New cross-account access path into " + entity)
            .setDescription(admin ? ADMIN_DESCRIPTION : CROSS_ACCOUNT_DESCRIPTION)
            .setSeverity(admin ? Severity.HIGH : Severity.MEDIUM)
            .setMitreTactic("Privilege Escalation (TA0004)")
            .setMitreTechniqueId("T1098.003")
            .setMitreTechniqueName("Account Manipulation: Additional Cloud Roles")
            .setPrincipal(principal)
            .setAccountId(account)
            .setRegion(last.path("region").asText("us-east-1"))
            .setEntities(entities)
            .setEventIds(eventIds)
            .setEvidence(evidence.length() > EVIDENCE_CHARS ? evidence.substring(0, EVIDENCE_CHARS - 3) + "..." : evidence)
            .setCount(1L)
            .setFirstSeen(Instant.ofEpochMilli(first.path("eventTime").asLong()))
            .setLastSeen(Instant.ofEpochMilli(last.path("eventTime").asLong()))
            .setDetectedAt(Instant.ofEpochMilli(last.path("eventTime").asLong()))
            .setMode(mode)
            .setAccessSummary(AccessLookup.toAvro(s))
            .build();
    }
}
