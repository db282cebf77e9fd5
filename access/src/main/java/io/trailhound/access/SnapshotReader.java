package io.trailhound.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a snapshot directory: {@code <account>.gaad.json} (the output of {@code aws iam get-account-authorization-details})
 * and optionally {@code <account>.scp.json} (an array of {@code {PolicyId, Name, Content}} for one level, or
 * {@code {"levels": [[...], ...]}} from the root down). A malformed file is one {@link IllegalArgumentException} naming the
 * file and the field.
 */
public final class SnapshotReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GAAD = ".gaad.json";
    private static final String SCP = ".scp.json";

    private SnapshotReader() {
    }

    /** Reads every account file of {@code dir}. */
    public static Snapshot read(Path dir, SnapshotOptions options) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("snapshot directory not found: " + dir);
        }
        List<Path> gaads;
        try (Stream<Path> files = Files.list(dir)) {
            gaads = files.filter(p -> p.getFileName().toString().endsWith(GAAD)).sorted().toList();
        }
        if (gaads.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no <account>" + GAAD + " file");
        }
        Map<String, Account> accounts = new TreeMap<>();
        Set<String> notes = new TreeSet<>();
        for (Path gaad : gaads) {
            String name = gaad.getFileName().toString();
            String id = name.substring(0, name.length() - GAAD.length());
            if (!id.matches("\\d{12}")) {
                throw new IllegalArgumentException(gaad + ": the file name must be a 12-digit account id followed by " + GAAD);
            }
            Path scp = dir.resolve(id + SCP);
            List<List<PolicyDocument>> levels = Files.exists(scp) ? scpLevels(scp.toString(), tree(scp)) : List.of();
            JsonNode root = tree(gaad);
            if (root.path("IsTruncated").asBoolean(false)) {
                notes.add("account " + id + ": " + gaad.getFileName() + " is one truncated page (IsTruncated true): the account is partial;"
                    + " let the AWS CLI page to the end");
            }
            accounts.put(id, GaadParser.account(id, gaad.toString(), root, levels));
        }
        notes.addAll(missingPolicies(accounts));
        return new Snapshot(accounts, options, notes);
    }

    private static JsonNode tree(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
    }

    static List<List<PolicyDocument>> scpLevels(String file, JsonNode root) {
        List<List<PolicyDocument>> levels = new ArrayList<>();
        if (root.isArray()) {
            levels.add(scpLevel(root, file + ": [...]"));
        } else if (root.isObject() && root.path("levels").isArray()) {
            JsonNode all = root.get("levels");
            for (int i = 0; i < all.size(); i++) {
                if (!all.get(i).isArray()) {
                    throw new IllegalArgumentException(file + ": levels[" + i + "]: must be an array of policies");
                }
                levels.add(scpLevel(all.get(i), file + ": levels[" + i + "]"));
            }
        } else {
            throw new IllegalArgumentException(file + ": must be an array of {PolicyId, Name, Content} or {\"levels\": [[...]]}");
        }
        return levels;
    }

    private static List<PolicyDocument> scpLevel(JsonNode level, String where) {
        List<PolicyDocument> docs = new ArrayList<>();
        for (int i = 0; i < level.size(); i++) {
            JsonNode policy = level.get(i);
            String at = where + "[" + i + "]";
            JsonNode summary = policy.has("PolicySummary") ? policy.get("PolicySummary") : policy;
            String name = summary.path("Name").asText(summary.path("PolicyId").asText("scp-" + i));
            JsonNode content = policy.get("Content");
            if (content == null) {
                throw new IllegalArgumentException(at + ".Content: missing");
            }
            docs.add(PolicyDocument.parse("scp:" + name, content, at + ".Content"));
        }
        return docs;
    }

    /** Every referenced managed policy (attachment or boundary) no account file contains. */
    static Set<String> missingPolicies(Map<String, Account> accounts) {
        Map<String, String> referencedBy = new HashMap<>();
        for (Account account : accounts.values()) {
            for (Identity identity : account.identities().values()) {
                identity.attached().forEach(arn -> referencedBy.putIfAbsent(arn, identity.arn()));
                if (identity.boundary() != null) {
                    referencedBy.putIfAbsent(identity.boundary(), identity.arn());
                }
            }
            account.groups().values().forEach(g -> g.attached().forEach(arn -> referencedBy.putIfAbsent(arn, g.arn())));
        }
        Set<String> missing = new TreeSet<>();
        referencedBy.forEach((arn, by) -> {
            boolean present = accounts.values().stream().anyMatch(a -> a.managedPolicies().containsKey(arn));
            if (!present) {
                missing.add("unknown policy " + arn + " (attached to " + by + ", not in the GAAD file: export with --filter"
                    + " including AWSManagedPolicy); decisions it takes part in are CONDITIONAL");
            }
        });
        return missing;
    }

    static Instant instant(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
