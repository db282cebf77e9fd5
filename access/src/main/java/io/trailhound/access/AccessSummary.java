package io.trailhound.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A principal's blast radius in a few fields, what every alert about it carries: administrator-equivalent (and how sure, by
 * which path), the accounts it reaches, its risk score, the top reachable administrator roles (at most {@link #TOP_ADMINS},
 * fewest hops first) and the epoch of the snapshot behind it (the newest of the accounts involved). {@code crossAccount} keeps,
 * per other account reached, the path to the first principal reached there, so a new cross-account path can be shown.
 */
public record AccessSummary(String principal, boolean adminEquivalent, String adminConfidence, List<PathStep> adminPath,
                            List<String> accounts, int riskScore, List<String> topAdminRoles, long snapshotEpoch,
                            Map<String, List<PathStep>> crossAccount) {

    /** How many reachable administrator roles a summary names. */
    public static final int TOP_ADMINS = 3;

    public AccessSummary {
        adminPath = List.copyOf(adminPath);
        accounts = List.copyOf(accounts);
        topAdminRoles = List.copyOf(topAdminRoles);
        crossAccount = java.util.Collections.unmodifiableMap(new TreeMap<>(crossAccount));
    }

    /** The summary of every user and role of the snapshot, by ARN, searched up to {@code maxHops}. */
    public static Map<String, AccessSummary> of(AccessGraph graph, SnapshotRecords.Built built, int maxHops) {
        Map<String, AccessSummary> all = new TreeMap<>();
        for (Identity identity : built.snapshot().identities()) {
            all.put(identity.arn(), of(BlastRadius.of(graph, built.snapshot(), identity.arn(), maxHops), built.epochs()));
        }
        return all;
    }

    static AccessSummary of(BlastRadius r, Map<String, Long> epochs) {
        String own = r.principal().split(":").length > 4 ? r.principal().split(":")[4] : "";
        List<String> admins = new ArrayList<>();
        Map<String, List<PathStep>> cross = new TreeMap<>();
        long epoch = epochs.getOrDefault(own, 0L);
        for (Reachable reached : r.reachable()) {
            if (reached.kind() == Node.Kind.ROLE && reached.adminEquivalent() && admins.size() < TOP_ADMINS) {
                admins.add(reached.arn());
            }
            if (r.accounts().contains(reached.accountId()) && !reached.accountId().equals(own)) {
                cross.putIfAbsent(reached.accountId(), reached.path());
                epoch = Math.max(epoch, epochs.getOrDefault(reached.accountId(), 0L));
            }
        }
        return new AccessSummary(r.principal(), r.adminEquivalent(), r.adminConfidence() == null ? null : r.adminConfidence().name(),
            r.adminPath(), r.accounts(), r.risk().score(), admins, epoch, cross);
    }

    /** The account ids reached other than the principal's own. */
    public List<String> otherAccounts() {
        return List.copyOf(crossAccount.keySet());
    }

    /** The same summary apart from the snapshot epoch: what a change of the graph compares. */
    public boolean sameAccess(AccessSummary other) {
        return other != null && adminEquivalent == other.adminEquivalent && Objects.equals(adminConfidence, other.adminConfidence)
            && adminPath.equals(other.adminPath) && accounts.equals(other.accounts) && riskScore == other.riskScore
            && topAdminRoles.equals(other.topAdminRoles) && crossAccount.equals(other.crossAccount);
    }

    /** A path as one line: {@code from -> to via ... [technique, confidence]}, steps joined by {@code ; }. */
    public static String describe(List<PathStep> path) {
        List<String> steps = new ArrayList<>();
        for (PathStep s : path) {
            steps.add(s.from() + " -> " + s.to() + " via " + s.via() + " [" + (s.technique() == null ? "" : s.technique() + ", ")
                + s.confidence() + "]");
        }
        return String.join("; ", steps);
    }

    /** The JSON form published on the summaries topic. */
    public String toJson() {
        ObjectNode o = SnapshotRecords.JSON.createObjectNode().put("principal", principal).put("adminEquivalent", adminEquivalent)
            .put("adminConfidence", adminConfidence);
        o.set("adminPath", steps(adminPath));
        accounts.forEach(o.putArray("accounts")::add);
        o.put("riskScore", riskScore);
        topAdminRoles.forEach(o.putArray("topAdminRoles")::add);
        o.put("snapshotEpoch", snapshotEpoch);
        ObjectNode cross = o.putObject("crossAccount");
        crossAccount.forEach((account, path) -> cross.set(account, steps(path)));
        return o.toString();
    }

    /** Reads {@link #toJson()}'s form. */
    public static AccessSummary fromJson(String json) {
        JsonNode o;
        try {
            o = SnapshotRecords.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("access summary: not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        Map<String, List<PathStep>> cross = new TreeMap<>();
        o.path("crossAccount").fields().forEachRemaining(f -> cross.put(f.getKey(), steps(f.getValue())));
        return new AccessSummary(o.path("principal").asText(), o.path("adminEquivalent").asBoolean(),
            o.path("adminConfidence").isTextual() ? o.get("adminConfidence").asText() : null, steps(o.path("adminPath")),
            strings(o.path("accounts")), o.path("riskScore").asInt(), strings(o.path("topAdminRoles")), o.path("snapshotEpoch").asLong(),
            cross);
    }

    private static ArrayNode steps(List<PathStep> path) {
        ArrayNode a = SnapshotRecords.JSON.createArrayNode();
        for (PathStep s : path) {
            a.addObject().put("from", s.from()).put("to", s.to()).put("via", s.via()).put("technique", s.technique())
                .put("confidence", s.confidence().name());
        }
        return a;
    }

    private static List<PathStep> steps(JsonNode a) {
        List<PathStep> path = new ArrayList<>();
        a.forEach(s -> path.add(new PathStep(s.path("from").asText(), s.path("to").asText(), s.path("via").asText(),
            s.path("technique").isTextual() ? s.get("technique").asText() : null, Confidence.valueOf(s.path("confidence").asText()))));
        return path;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
