package io.trailhound.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds GAAD and SCP files for tests the way the AWS CLI writes them, then reads them with {@link SnapshotReader}, so every
 * test goes through the real reader.
 */
final class Iam {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

    private final Map<String, Gaad> accounts = new LinkedHashMap<>();

    /** A statement: Allow or Deny of actions on resources, as JSON text. */
    static String stmt(String effect, List<String> actions, List<String> resources) {
        ObjectNode s = JSON.createObjectNode().put("Effect", effect);
        ArrayNode a = s.putArray("Action");
        actions.forEach(a::add);
        ArrayNode r = s.putArray("Resource");
        resources.forEach(r::add);
        return s.toString();
    }

    static String allow(String action, String resource) {
        return stmt("Allow", List.of(action), List.of(resource));
    }

    static String deny(String action, String resource) {
        return stmt("Deny", List.of(action), List.of(resource));
    }

    /** A policy document from statements given as JSON text. */
    static String doc(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    /** A trust policy letting {@code principal} (a JSON value of Principal) assume, with an optional condition. */
    static String trust(String principal, String condition) {
        return doc("{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"sts:AssumeRole\""
            + (condition == null ? "" : ",\"Condition\":" + condition) + "}");
    }

    static String aws(String who) {
        return "{\"AWS\":\"" + who + "\"}";
    }

    static String service(String who) {
        return "{\"Service\":\"" + who + "\"}";
    }

    Gaad account(String id) {
        return accounts.computeIfAbsent(id, Gaad::new);
    }

    Snapshot snapshot() {
        return snapshot(SnapshotOptions.defaults());
    }

    Snapshot snapshot(SnapshotOptions options) {
        try {
            Path dir = write(Files.createTempDirectory("iam-snapshot"));
            return SnapshotReader.read(dir, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path write(Path dir) throws IOException {
        for (Gaad gaad : accounts.values()) {
            Files.writeString(dir.resolve(gaad.id + ".gaad.json"), gaad.root.toPrettyString());
            if (!gaad.scpLevels.isEmpty()) {
                ObjectNode scp = JSON.createObjectNode();
                ArrayNode levels = scp.putArray("levels");
                for (List<String> level : gaad.scpLevels) {
                    ArrayNode l = levels.addArray();
                    int i = 0;
                    for (String content : level) {
                        l.addObject().put("PolicyId", "p-" + i).put("Name", "scp-" + i++).put("Content", content);
                    }
                }
                Files.writeString(dir.resolve(gaad.id + ".scp.json"), scp.toPrettyString());
            }
        }
        return dir;
    }

    /** One account's GAAD under construction. */
    static final class Gaad {
        final String id;
        final ObjectNode root = JSON.createObjectNode();
        final List<List<String>> scpLevels = new ArrayList<>();

        Gaad(String id) {
            this.id = id;
            root.putArray("UserDetailList");
            root.putArray("GroupDetailList");
            root.putArray("RoleDetailList");
            root.putArray("Policies");
        }

        String arn(String kind, String name) {
            return "arn:aws:iam::" + id + ":" + kind + "/" + name;
        }

        ObjectNode user(String name, String... inline) {
            ObjectNode u = ((ArrayNode) root.get("UserDetailList")).addObject();
            u.put("UserName", name).put("Arn", arn("user", name)).put("UserId", "AIDA" + name.toUpperCase());
            u.putArray("GroupList");
            u.putArray("AttachedManagedPolicies");
            inline(u, "UserPolicyList", inline);
            return u;
        }

        ObjectNode role(String name, String trust, String... inline) {
            ObjectNode r = ((ArrayNode) root.get("RoleDetailList")).addObject();
            r.put("RoleName", name).put("Arn", arn("role", name));
            r.set("AssumeRolePolicyDocument", parse(trust));
            r.putArray("InstanceProfileList");
            r.putArray("AttachedManagedPolicies");
            r.putObject("RoleLastUsed");
            inline(r, "RolePolicyList", inline);
            return r;
        }

        ObjectNode group(String name, String... inline) {
            ObjectNode g = ((ArrayNode) root.get("GroupDetailList")).addObject();
            g.put("GroupName", name).put("Arn", arn("group", name));
            g.putArray("AttachedManagedPolicies");
            inline(g, "GroupPolicyList", inline);
            return g;
        }

        /** A managed policy, its document URL-encoded as IAM returns it. */
        Gaad policy(String policyArn, String document) {
            ObjectNode p = ((ArrayNode) root.get("Policies")).addObject();
            p.put("PolicyName", policyArn.substring(policyArn.lastIndexOf('/') + 1)).put("Arn", policyArn).put("DefaultVersionId", "v2");
            ArrayNode versions = p.putArray("PolicyVersionList");
            versions.addObject().put("Document", java.net.URLEncoder.encode(doc(deny("*", "*")), java.nio.charset.StandardCharsets.UTF_8))
                .put("VersionId", "v1").put("IsDefaultVersion", false);
            versions.addObject().put("Document", java.net.URLEncoder.encode(document, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20")).put("VersionId", "v2").put("IsDefaultVersion", true);
            return this;
        }

        Gaad adminPolicy() {
            return policy(ADMIN_ARN, doc(allow("*", "*")));
        }

        Gaad scp(List<String> level) {
            scpLevels.add(level);
            return this;
        }

        static void attach(ObjectNode entity, String policyArn) {
            ((ArrayNode) entity.get("AttachedManagedPolicies")).addObject().put("PolicyName", "p").put("PolicyArn", policyArn);
        }

        static void boundary(ObjectNode entity, String policyArn) {
            entity.putObject("PermissionsBoundary").put("PermissionsBoundaryType", "Policy").put("PermissionsBoundaryArn", policyArn);
        }

        static void member(ObjectNode user, String group) {
            ((ArrayNode) user.get("GroupList")).add(group);
        }

        static void instanceProfile(ObjectNode role) {
            ((ArrayNode) role.get("InstanceProfileList")).addObject().put("InstanceProfileName", "p");
        }

        private static void inline(ObjectNode entity, String field, String... docs) {
            ArrayNode list = entity.putArray(field);
            int i = 0;
            for (String d : docs) {
                list.addObject().put("PolicyName", "inline-" + i++).put("PolicyDocument", d);
            }
        }

        private static JsonNode parse(String json) {
            try {
                return JSON.readTree(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
