package io.trailhound.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one account's {@code get-account-authorization-details} output into an {@link Account}. */
final class GaadParser {

    private GaadParser() {
    }

    static Account account(String id, String file, JsonNode root, List<List<PolicyDocument>> scpLevels) {
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": must be the JSON object get-account-authorization-details prints");
        }
        Map<String, Identity> identities = new HashMap<>();
        Map<String, IamGroup> groups = new HashMap<>();
        Map<String, PolicyDocument> policies = new HashMap<>();
        JsonNode users = list(root, "UserDetailList", file);
        for (int i = 0; i < users.size(); i++) {
            Identity user = user(id, users.get(i), file + ": UserDetailList[" + i + "]");
            identities.put(user.arn(), user);
        }
        JsonNode roles = list(root, "RoleDetailList", file);
        for (int i = 0; i < roles.size(); i++) {
            Identity role = role(id, roles.get(i), file + ": RoleDetailList[" + i + "]");
            identities.put(role.arn(), role);
        }
        JsonNode groupList = list(root, "GroupDetailList", file);
        for (int i = 0; i < groupList.size(); i++) {
            String at = file + ": GroupDetailList[" + i + "]";
            JsonNode g = groupList.get(i);
            String arn = arn(g, at, id);
            String name = text(g, "GroupName", at);
            groups.put(name, new IamGroup(arn, id, name, inline(g, "GroupPolicyList", "group/" + name, at), attached(g, at)));
        }
        JsonNode managed = list(root, "Policies", file);
        for (int i = 0; i < managed.size(); i++) {
            String at = file + ": Policies[" + i + "]";
            JsonNode p = managed.get(i);
            String arn = text(p, "Arn", at);
            policies.put(arn, defaultVersion(arn, p, at));
        }
        return new Account(id, identities, groups, policies, scpLevels);
    }

    private static Identity user(String account, JsonNode u, String at) {
        String name = text(u, "UserName", at);
        List<String> groups = Statement.strings(u.get("GroupList"), at + ".GroupList");
        return new Identity(arn(u, at, account), account, Caller.Kind.USER, name, inline(u, "UserPolicyList", "user/" + name, at),
            attached(u, at), groups, boundary(u), null, false, SnapshotReader.instant(u.get("PasswordLastUsed")), tags(u));
    }

    private static Identity role(String account, JsonNode r, String at) {
        String name = text(r, "RoleName", at);
        String arn = arn(r, at, account);
        PolicyDocument trust = PolicyDocument.parse("trust:" + arn, r.get("AssumeRolePolicyDocument"), at + ".AssumeRolePolicyDocument");
        boolean profile = r.path("InstanceProfileList").isArray() && !r.path("InstanceProfileList").isEmpty();
        return new Identity(arn, account, Caller.Kind.ROLE, name, inline(r, "RolePolicyList", "role/" + name, at), attached(r, at),
            List.of(), boundary(r), trust, profile, SnapshotReader.instant(r.path("RoleLastUsed").get("LastUsedDate")), tags(r));
    }

    private static PolicyDocument defaultVersion(String arn, JsonNode p, String at) {
        JsonNode versions = p.get("PolicyVersionList");
        if (versions == null || !versions.isArray()) {
            throw new IllegalArgumentException(at + ".PolicyVersionList: missing or not an array");
        }
        for (int v = 0; v < versions.size(); v++) {
            if (versions.get(v).path("IsDefaultVersion").asBoolean(false)) {
                return PolicyDocument.parse(arn, versions.get(v).get("Document"), at + ".PolicyVersionList[" + v + "].Document");
            }
        }
        throw new IllegalArgumentException(at + ".PolicyVersionList: no version with IsDefaultVersion true");
    }

    private static JsonNode list(JsonNode root, String field, String file) {
        JsonNode node = root.get(field);
        if (node == null) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(file + ": " + field + ": must be an array");
        }
        return node;
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(at + "." + field + ": missing or not a string");
        }
        return value.asText();
    }

    private static String arn(JsonNode node, String at, String account) {
        String arn = text(node, "Arn", at);
        String[] parts = arn.split(":");
        if (parts.length < 6 || !account.equals(parts[4])) {
            throw new IllegalArgumentException(at + ".Arn: " + arn + " is not an IAM ARN of account " + account);
        }
        return arn;
    }

    private static List<PolicyDocument> inline(JsonNode node, String field, String owner, String at) {
        List<PolicyDocument> docs = new ArrayList<>();
        JsonNode list = node.get(field);
        if (list == null) {
            return docs;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(at + "." + field + ": must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            String where = at + "." + field + "[" + i + "]";
            String name = text(list.get(i), "PolicyName", where);
            docs.add(PolicyDocument.parse(owner + "/" + name, list.get(i).get("PolicyDocument"), where + ".PolicyDocument"));
        }
        return docs;
    }

    private static List<String> attached(JsonNode node, String at) {
        List<String> arns = new ArrayList<>();
        JsonNode list = node.get("AttachedManagedPolicies");
        if (list == null) {
            return arns;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(at + ".AttachedManagedPolicies: must be an array");
        }
        for (int i = 0; i < list.size(); i++) {
            arns.add(text(list.get(i), "PolicyArn", at + ".AttachedManagedPolicies[" + i + "]"));
        }
        return arns;
    }

    private static String boundary(JsonNode node) {
        JsonNode arn = node.path("PermissionsBoundary").get("PermissionsBoundaryArn");
        return arn == null || arn.asText().isEmpty() ? null : arn.asText();
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new HashMap<>();
        node.path("Tags").forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").asText()));
        return tags;
    }
}
