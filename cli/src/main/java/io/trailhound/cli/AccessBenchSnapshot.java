package io.trailhound.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.access.SnapshotOptions;

/**
 * A deterministic synthetic organization written as a snapshot directory ({@code <account>.gaad.json} as
 * {@code aws iam get-account-authorization-details} prints it, {@code <account>.scp.json} for some accounts), for
 * {@code trailhound bench access}. Every account has the roles an AWS organization typically has: the organization's access
 * role trusting the management account, a deploy role trusting a tooling account, a CloudFormation execution role, service
 * roles (Lambda, EC2 with an instance profile, ECS, Glue, CodeBuild), an audit role trusting a security account's role by ARN,
 * a vendor role trusting an outside account with an external id, SAML roles, a break-glass role behind MFA, some roles
 * trusting {@code *} (with and without an organization condition); users in an administrators and a developers group;
 * customer managed policies, some granting {@code *} on {@code *} under an innocent name, some PassRole and IAM escalation
 * permissions; a permissions boundary on some developers; two SCP levels on a quarter of the accounts.
 */
final class AccessBenchSnapshot {

    static final String VENDOR_ACCOUNT = "999999999999";
    static final String ORGANIZATION = "o-bench0000";
    /** The snapshot's time, for RoleLastUsed and PasswordLastUsed ages: fixed, so that risk scores do not drift. */
    static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = "2024-03-01T10:00:00Z";
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    private static final String[] SERVICES = {"lambda", "ec2", "ecs-tasks", "glue", "codebuild", "sagemaker"};

    /** What was written: accounts, users, roles, groups, managed policies, bytes. */
    record Summary(Path dir, int accounts, int users, int roles, int groups, int policies, long bytes) {
        int principals() {
            return users + roles;
        }
    }

    private final int accounts;
    private final int rolesPerAccount;
    private final int usersPerAccount;
    private final SplittableRandom random;
    private int users;
    private int roles;
    private int groups;
    private int policies;

    private AccessBenchSnapshot(int accounts, int rolesPerAccount, int usersPerAccount, long seed) {
        this.accounts = accounts;
        this.rolesPerAccount = rolesPerAccount;
        this.usersPerAccount = usersPerAccount;
        this.random = new SplittableRandom(seed);
    }

    /** Writes {@code accounts} account files of {@code rolesPerAccount} roles and {@code usersPerAccount} users into {@code dir}. */
    static Summary write(Path dir, int accounts, int rolesPerAccount, int usersPerAccount, long seed) throws IOException {
        if (accounts < 3 || rolesPerAccount < 1 || usersPerAccount < 1) {
            throw new IllegalArgumentException("at least 3 accounts, 1 role and 1 user per account");
        }
        Files.createDirectories(dir);
        AccessBenchSnapshot generator = new AccessBenchSnapshot(accounts, rolesPerAccount, usersPerAccount, seed);
        long bytes = 0;
        for (int i = 0; i < accounts; i++) {
            Path gaad = dir.resolve(account(i) + ".gaad.json");
            JSON.writeValue(gaad.toFile(), generator.gaad(i));
            bytes += Files.size(gaad);
            if (i % 4 == 3) {
                Path scp = dir.resolve(account(i) + ".scp.json");
                JSON.writeValue(scp.toFile(), scp(i));
                bytes += Files.size(scp);
            }
        }
        return new Summary(dir, accounts, generator.users, generator.roles, generator.groups, generator.policies, bytes);
    }

    /** What the files cannot say: account 0 is the organization's management account, every account is in its organization. */
    static SnapshotOptions options() {
        return new SnapshotOptions(Set.of(account(0)), ORGANIZATION, NOW);
    }

    /** The 12-digit id of account {@code i}; account 0 is the management account, 1 the security account. */
    static String account(int i) {
        return String.format(Locale.ROOT, "%012d", 100_000_000_000L + i);
    }

    /** The tooling account whose principals deploy into account {@code i}: one of up to five hubs. */
    private int tooling(int i) {
        return 2 + i % Math.min(5, accounts - 2);
    }

    private ObjectNode gaad(int i) {
        String id = account(i);
        ObjectNode root = F.objectNode();
        ArrayNode userList = root.putArray("UserDetailList");
        for (int u = 0; u < usersPerAccount; u++) {
            userList.add(user(i, u));
        }
        ArrayNode groupList = root.putArray("GroupDetailList");
        groupList.add(group(id, "administrators", List.of(), List.of(ADMIN)));
        groupList.add(group(id, "developers", List.of(inline("developer", developer(id))), List.of(policyArn(id, "developer"))));
        groups += 2;
        ArrayNode roleList = root.putArray("RoleDetailList");
        for (int r = 0; r < rolesPerAccount; r++) {
            roleList.add(role(i, r));
        }
        root.set("Policies", managedPolicies(id));
        root.put("IsTruncated", false);
        return root;
    }

    private ObjectNode user(int i, int u) {
        String id = account(i);
        String name = switch (u) {
            case 0 -> "admin-" + i;
            case 1 -> "ops-" + i;
            case 2 -> "ci-" + i;
            default -> "dev-" + i + "-" + u;
        };
        ObjectNode user = F.objectNode().put("Path", "/").put("UserName", name).put("UserId", "AIDA" + i + "U" + u)
            .put("Arn", "arn:aws:iam::" + id + ":user/" + name).put("CreateDate", CREATED);
        ArrayNode inline = user.putArray("UserPolicyList");
        ArrayNode groupList = user.putArray("GroupList");
        ArrayNode attached = user.putArray("AttachedManagedPolicies");
        switch (u) {
            case 0 -> groupList.add("administrators");
            case 1 -> inline.add(inline("operations", document(
                allow(List.of("iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:UpdateLoginProfile"), "arn:aws:iam::" + id + ":user/*"),
                allow(List.of("iam:UpdateAssumeRolePolicy"), "arn:aws:iam::" + id + ":role/app-*"),
                allow(List.of("cloudwatch:*", "logs:*"), "*"))));
            case 2 -> inline.add(inline("ci", document(allow(List.of("sts:AssumeRole"), "*"),
                allow(List.of("s3:PutObject", "s3:GetObject"), "arn:aws:s3:::artifacts-" + id + "/*"))));
            default -> {
                groupList.add("developers");
                if (random.nextInt(3) == 0) {
                    user.set("PermissionsBoundary", F.objectNode().put("PermissionsBoundaryType", "Policy")
                        .put("PermissionsBoundaryArn", policyArn(id, "developer-boundary")));
                }
            }
        }
        if (u == 0 && random.nextInt(4) == 0) {
            attached.add(attachment(READ_ONLY));
        }
        user.putArray("Tags").add(F.objectNode().put("Key", "team").put("Value", u == 0 ? "platform" : "app"));
        if (u != 2) {
            user.put("PasswordLastUsed", random.nextInt(5) == 0 ? "2026-03-01T09:00:00Z" : "2026-12-01T09:00:00Z");
        }
        users++;
        return user;
    }

    private ObjectNode role(int i, int r) {
        String id = account(i);
        RoleShape shape = shape(i, r);
        String arn = "arn:aws:iam::" + id + ":role/" + shape.name();
        ObjectNode role = F.objectNode().put("Path", "/").put("RoleName", shape.name()).put("RoleId", "AROA" + i + "R" + r)
            .put("Arn", arn).put("CreateDate", CREATED);
        String trust = shape.trust().toString();
        if (r % 4 == 0) {
            role.put("AssumeRolePolicyDocument", URLEncoder.encode(trust, StandardCharsets.UTF_8).replace("+", "%20"));
        } else {
            role.set("AssumeRolePolicyDocument", shape.trust());
        }
        ArrayNode profiles = role.putArray("InstanceProfileList");
        if (shape.instanceProfile()) {
            profiles.add(F.objectNode().put("InstanceProfileName", shape.name()).put("Arn",
                "arn:aws:iam::" + id + ":instance-profile/" + shape.name()));
        }
        ArrayNode inline = role.putArray("RolePolicyList");
        shape.inline().forEach(inline::add);
        ArrayNode attached = role.putArray("AttachedManagedPolicies");
        shape.attached().forEach(a -> attached.add(attachment(a)));
        role.putArray("Tags");
        ObjectNode lastUsed = role.putObject("RoleLastUsed");
        if (random.nextInt(6) != 0) {
            String date = random.nextInt(4) == 0 ? "2026-05-01T12:00:00Z" : "2026-12-05T12:00:00Z";
            lastUsed.put("LastUsedDate", date).put("Region", "eu-west-1");
        }
        roles++;
        return role;
    }

    /** A role's name, trust, instance profile and policies. */
    private record RoleShape(String name, ObjectNode trust, boolean instanceProfile, List<ObjectNode> inline, List<String> attached) {
    }

    private RoleShape shape(int i, int r) {
        String id = account(i);
        String self = "arn:aws:iam::" + id + ":root";
        return switch (r) {
            case 0 -> new RoleShape("OrganizationAccountAccessRole", trust(aws("arn:aws:iam::" + account(0) + ":root"), null), false,
                List.of(), List.of(ADMIN));
            case 1 -> new RoleShape("deploy", trust(aws(account(tooling(i))), null), false, List.of(inline("deploy", document(
                allow(List.of("cloudformation:*", "s3:*"), "*"),
                allow(List.of("iam:PassRole"), "arn:aws:iam::" + id + ":role/cfn-exec")))), List.of());
            case 2 -> new RoleShape("cfn-exec", trust(service("cloudformation"), null), false, List.of(), List.of(ADMIN));
            case 3 -> new RoleShape("ci-runner", trust(service("ec2"), null), true, List.of(inline("assume-deploy", document(
                allow(List.of("sts:AssumeRole"), "arn:aws:iam::*:role/deploy")))), List.of());
            case 4 -> new RoleShape("readonly-audit", trust(aws("arn:aws:iam::" + account(1) + ":role/security-audit"), null), false,
                List.of(), List.of(READ_ONLY));
            case 5 -> new RoleShape("security-audit", trust(aws(self), mfa()), false, List.of(inline("audit-everywhere", document(
                allow(List.of("sts:AssumeRole"), "arn:aws:iam::*:role/readonly-audit")))), List.of(READ_ONLY));
            case 6 -> new RoleShape("breakglass", trust(aws(self), mfa()), false, List.of(), List.of(ADMIN));
            case 7 -> new RoleShape("vendor-monitoring", trust(aws("arn:aws:iam::" + VENDOR_ACCOUNT + ":root"),
                condition("StringEquals", "sts:ExternalId", "vendor-" + id)), false, List.of(), List.of(READ_ONLY));
            case 8 -> new RoleShape("sso-admin", saml(id), false, List.of(), List.of(ADMIN));
            case 9 -> new RoleShape("sso-developer", saml(id), false, List.of(), List.of(policyArn(id, "developer")));
            case 10 -> new RoleShape("shared-ci", wildcardTrust(i, self), false, List.of(inline("artifacts", document(
                allow(List.of("s3:GetObject"), "arn:aws:s3:::artifacts-" + id + "/*")))), List.of());
            case 11 -> new RoleShape("app-backend", trust(aws("arn:aws:iam::" + id + ":role/lambda-0"), null), false,
                List.of(inline("backend", document(allow(List.of("dynamodb:*"), "arn:aws:dynamodb:*:" + id + ":table/backend-*")))),
                List.of());
            default -> serviceRole(i, r);
        };
    }

    private RoleShape serviceRole(int i, int r) {
        String id = account(i);
        String service = SERVICES[(r - 12) % SERVICES.length];
        String name = (service.equals("ecs-tasks") ? "ecs-task" : service) + "-" + (r - 12) / SERVICES.length;
        List<ObjectNode> inline = new ArrayList<>();
        List<String> attached = new ArrayList<>();
        inline.add(inline("app", document(allow(List.of("s3:GetObject", "s3:PutObject"), "arn:aws:s3:::" + name + "-" + id + "/*"),
            allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), "*"))));
        int kind = random.nextInt(20);
        if (kind == 0) {
            // administrator by effective permissions, whatever its name says
            attached.add(policyArn(id, "lambda-maintenance"));
        } else if (kind == 1) {
            attached.add(ADMIN);
        } else if (kind < 4) {
            inline.add(inline("deployer", document(allow(List.of("iam:PassRole"), "arn:aws:iam::" + id + ":role/*"),
                allow(List.of("lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances"), "*"))));
        } else if (kind == 4) {
            inline.add(inline("self-service", document(allow(List.of("iam:PutRolePolicy", "iam:AttachRolePolicy"),
                "arn:aws:iam::" + id + ":role/" + name))));
        }
        return new RoleShape(name, trust(service(service), null), service.equals("ec2"), inline, attached);
    }

    private ObjectNode wildcardTrust(int i, String self) {
        if (i % 100 == 7) {
            return trust(F.textNode("*"), null);
        }
        if (i % 50 == 3) {
            return trust(aws("*"), condition("StringEquals", "aws:PrincipalOrgID", ORGANIZATION));
        }
        return trust(aws(self), null);
    }

    private static ObjectNode saml(String id) {
        ObjectNode s = F.objectNode().put("Effect", "Allow").put("Action", "sts:AssumeRoleWithSAML");
        s.putObject("Principal").put("Federated", "arn:aws:iam::" + id + ":saml-provider/corporate-idp");
        s.set("Condition", condition("StringEquals", "SAML:aud", "https://signin.aws.amazon.com/saml"));
        ObjectNode doc = F.objectNode().put("Version", "2012-10-17");
        doc.putArray("Statement").add(s);
        return doc;
    }

    private static ObjectNode trust(JsonNode principal, ObjectNode condition) {
        ObjectNode s = F.objectNode().put("Effect", "Allow");
        s.set("Principal", principal);
        s.put("Action", "sts:AssumeRole");
        if (condition != null) {
            s.set("Condition", condition);
        }
        ObjectNode doc = F.objectNode().put("Version", "2012-10-17");
        doc.putArray("Statement").add(s);
        return doc;
    }

    private static ObjectNode aws(String principal) {
        return F.objectNode().put("AWS", principal);
    }

    private static ObjectNode service(String service) {
        return F.objectNode().put("Service", service + ".amazonaws.com");
    }

    private static ObjectNode mfa() {
        return condition("Bool", "aws:MultiFactorAuthPresent", "true");
    }

    private static ObjectNode condition(String operator, String key, String value) {
        ObjectNode c = F.objectNode();
        c.putObject(operator).put(key, value);
        return c;
    }

    private static ObjectNode allow(List<String> actions, String resource) {
        ObjectNode s = F.objectNode().put("Effect", "Allow");
        ArrayNode a = s.putArray("Action");
        actions.forEach(a::add);
        s.put("Resource", resource);
        return s;
    }

    private static ObjectNode document(ObjectNode... statements) {
        ObjectNode doc = F.objectNode().put("Version", "2012-10-17");
        ArrayNode list = doc.putArray("Statement");
        for (ObjectNode s : statements) {
            list.add(s);
        }
        return doc;
    }

    private static ObjectNode developer(String id) {
        return document(allow(List.of("iam:PassRole"), "arn:aws:iam::" + id + ":role/lambda-*"),
            allow(List.of("lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction"), "*"),
            allow(List.of("sts:AssumeRole"), "arn:aws:iam::*:role/deploy"));
    }

    private static ObjectNode inline(String name, ObjectNode document) {
        ObjectNode p = F.objectNode().put("PolicyName", name);
        p.set("PolicyDocument", document);
        return p;
    }

    private static ObjectNode attachment(String arn) {
        return F.objectNode().put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1)).put("PolicyArn", arn);
    }

    private static String policyArn(String id, String name) {
        return "arn:aws:iam::" + id + ":policy/" + name;
    }

    private static ObjectNode group(String id, String name, List<ObjectNode> inline, List<String> attached) {
        ObjectNode g = F.objectNode().put("Path", "/").put("GroupName", name).put("GroupId", "AGPA" + name.toUpperCase(Locale.ROOT))
            .put("Arn", "arn:aws:iam::" + id + ":group/" + name).put("CreateDate", CREATED);
        ArrayNode list = g.putArray("GroupPolicyList");
        inline.forEach(list::add);
        ArrayNode att = g.putArray("AttachedManagedPolicies");
        attached.forEach(a -> att.add(attachment(a)));
        return g;
    }

    /** The account's customer managed policies and the AWS managed ones attached in it, as GAAD lists them. */
    private ArrayNode managedPolicies(String id) {
        ArrayNode list = F.arrayNode();
        ObjectNode everything = document(allow(List.of("*"), "*"));
        list.add(managed(ADMIN, "AdministratorAccess", everything));
        list.add(managed(READ_ONLY, "ReadOnlyAccess", document(allow(List.of("s3:Get*", "s3:List*", "ec2:Describe*", "iam:Get*",
            "iam:List*", "lambda:Get*", "lambda:List*", "logs:Describe*", "cloudtrail:LookupEvents", "dynamodb:Describe*"), "*"))));
        list.add(managed(policyArn(id, "developer"), "developer", developer(id)));
        list.add(managed(policyArn(id, "lambda-maintenance"), "lambda-maintenance", everything));
        ObjectNode boundary = document(allow(List.of("*"), "*"));
        ObjectNode denyIam = F.objectNode().put("Effect", "Deny");
        denyIam.putArray("Action").add("iam:*").add("organizations:*");
        denyIam.put("Resource", "*");
        ((ArrayNode) boundary.get("Statement")).add(denyIam);
        list.add(managed(policyArn(id, "developer-boundary"), "developer-boundary", boundary));
        policies += 5;
        return list;
    }

    private static ObjectNode managed(String arn, String name, ObjectNode document) {
        ObjectNode p = F.objectNode().put("PolicyName", name).put("Arn", arn).put("DefaultVersionId", "v2")
            .put("AttachmentCount", 1).put("IsAttachable", true);
        ArrayNode versions = p.putArray("PolicyVersionList");
        versions.add(F.objectNode().put("VersionId", "v1").put("IsDefaultVersion", false).put("CreateDate", CREATED)
            .set("Document", document(allow(List.of("s3:ListAllMyBuckets"), "*"))));
        ObjectNode current = F.objectNode().put("VersionId", "v2").put("IsDefaultVersion", true).put("CreateDate", CREATED);
        current.set("Document", document);
        versions.add(current);
        return p;
    }

    /** Two SCP levels: the root's full access, and an organizational unit's guard rails. */
    private static ObjectNode scp(int i) {
        ObjectNode root = F.objectNode();
        ArrayNode levels = root.putArray("levels");
        levels.addArray().add(F.objectNode().put("PolicyId", "p-FullAWSAccess").put("Name", "FullAWSAccess")
            .put("Content", document(allow(List.of("*"), "*")).toString()));
        ObjectNode guard = document(allow(List.of("*"), "*"));
        ObjectNode deny = F.objectNode().put("Effect", "Deny");
        deny.putArray("Action").add("organizations:LeaveOrganization").add("cloudtrail:StopLogging");
        deny.put("Resource", "*");
        ((ArrayNode) guard.get("Statement")).add(deny);
        if (i % 8 == 7) {
            ObjectNode keys = F.objectNode().put("Effect", "Deny").put("Action", "iam:CreateAccessKey").put("Resource", "*");
            ((ArrayNode) guard.get("Statement")).add(keys);
        }
        levels.addArray().add(F.objectNode().put("PolicyId", "p-guardrails").put("Name", "guardrails").put("Content", guard.toString()));
        return root;
    }
}
