package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.strimzi.api.kafka.model.connector.KafkaConnector;
import io.trailhound.connector.ConnectorPolicy;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.aws.MemberRoleGuards;
import io.trailhound.respond.aws.ResponderPolicy;
import io.trailhound.respond.aws.StepExecutors;

/**
 * The IAM documents in iam/ against the code: the member-account role and the responder's identity grant exactly the
 * actions {@link ResponderPolicy} derives from the executors (nothing more, nothing missing), no document allows a
 * wildcard action, the trust and bucket policies name the deployed responder, and the connector's resources are the ones
 * its KafkaConnectors read. Run with {@code -Dtrailhound.iam.write=true} to rewrite the derived documents (member role policy
 * and boundary, responder identity) from the code.
 */
class IamPoliciesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ResponderConfig responder;

    @BeforeAll
    static void load() {
        responder = ServiceConfigs.responder("k8s/overlays/prod",
                RepositoryFiles.properties(RepositoryFiles.path("k8s/overlays/prod/config/responder.properties")));
    }

    private static JsonNode document(String name) throws IOException {
        return JSON.readTree(RepositoryFiles.text("iam/" + name));
    }

    private static List<JsonNode> statements(JsonNode policy) {
        List<JsonNode> statements = new ArrayList<>();
        policy.get("Statement").forEach(statements::add);
        return statements;
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> values = new TreeSet<>();
        if (node == null) {
            return values;
        }
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    /** Allowed actions by resource. */
    private static Map<String, Set<String>> allowed(JsonNode policy) {
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (JsonNode statement : statements(policy)) {
            if ("Allow".equals(statement.get("Effect").asText())) {
                for (String resource : strings(statement.get("Resource"))) {
                    allowed.computeIfAbsent(resource, r -> new TreeSet<>()).addAll(strings(statement.get("Action")));
                }
            }
        }
        return allowed;
    }

    private static void compareOrWrite(String file, String generated) throws IOException {
        if (Boolean.getBoolean("trailhound.iam.write")) {
            Files.writeString(RepositoryFiles.root().resolve("iam/" + file), generated + "\n");
        }
        assertEquals(allowed(JSON.readTree(generated)), allowed(document(file)),
                "iam/" + file + " differs from what the code calls; the code's document is:\n" + generated);
        assertEquals(JSON.readTree(generated), document(file),
                "iam/" + file + " (conditions, denies) differs from what the code derives; the code's document is:\n" + generated);
    }

    @Test
    void shouldGrantTheConnectorsExactlyTheActionsTheirCodeCalls() throws IOException {
        Set<String> granted = new TreeSet<>();
        allowed(document("connector-policy.json")).values().forEach(granted::addAll);
        assertEquals(ConnectorPolicy.actions(), granted, "iam/connector-policy.json against ConnectorPolicy");
    }

    @Test
    void shouldGrantTheMemberAccountRoleExactlyTheExecutorsActions() throws IOException {
        StepExecutors executors = StepExecutors.standard(responder.runbookSettings(), responder.protectedInstanceTags());
        assertFalse(executors.awsActions().isEmpty());
        compareOrWrite("member-account-role-policy.json",
                ResponderPolicy.targetAccountRole(executors, MemberRoleGuards.of(responder)));
        Set<String> granted = new TreeSet<>();
        allowed(document("member-account-role-policy.json")).values().forEach(granted::addAll);
        assertEquals(executors.awsActions(), granted);
    }

    @Test
    void shouldBoundTheMemberAccountRoleByWhatTheCodeDerives() throws IOException {
        StepExecutors executors = StepExecutors.standard(responder.runbookSettings(), responder.protectedInstanceTags());
        compareOrWrite("member-account-role-boundary.json",
                ResponderPolicy.targetAccountBoundary(executors, MemberRoleGuards.of(responder)));
    }

    @Test
    void shouldGrantTheResponderIdentityExactlyWhatItCalls() throws IOException {
        compareOrWrite("responder-identity-policy.json", ResponderPolicy.responderIdentity(
                responder.getString(ResponderConfig.PARTITION_CONFIG), responder.getString(ResponderConfig.ROLE_NAME_CONFIG),
                responder.getString(ResponderConfig.EVIDENCE_BUCKET_CONFIG), responder.runbookSettings()));
    }

    @Test
    void shouldNeverAllowAWildcardAction() throws IOException {
        try (var files = Files.list(RepositoryFiles.path("iam"))) {
            List<Path> documents = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertTrue(documents.size() >= 7, "iam/ documents: " + documents);
            for (Path file : documents) {
                JsonNode policy = JSON.readTree(file.toFile());
                if (!policy.has("Statement")) {
                    continue;
                }
                for (JsonNode statement : statements(policy)) {
                    if ("Allow".equals(statement.get("Effect").asText())) {
                        assertFalse(statement.has("NotAction"), file + ": Allow with NotAction");
                        for (String action : strings(statement.get("Action"))) {
                            assertFalse(action.equals("*") || action.endsWith(":*"), file + ": wildcard action " + action);
                            assertTrue(action.matches("[a-z0-9-]+:[A-Za-z0-9]+"), file + ": not one action: " + action);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldLetOnlyTheResponderAssumeTheMemberRole() throws IOException {
        String identity = responder.getString(ResponderConfig.IDENTITY_ARN_CONFIG);
        List<JsonNode> trust = statements(document("member-account-role-trust-policy.json"));
        assertEquals(1, trust.size());
        assertEquals(Set.of(identity), strings(trust.get(0).get("Principal").get("AWS")), "trust the responder's role only");
        assertEquals(Set.of("sts:AssumeRole"), strings(trust.get(0).get("Action")));
        assertEquals(identity, trust.get(0).get("Condition").get("ArnEquals").get("aws:PrincipalArn").asText());
        assertTrue(trust.get(0).get("Condition").path("StringEquals").hasNonNull("sts:ExternalId"),
            "the role ARN alone must not suffice: the responder sends responder.aws.external.id");
        String roleName = responder.getString(ResponderConfig.ROLE_NAME_CONFIG);
        assertTrue(allowed(document("responder-identity-policy.json")).keySet().stream().anyMatch(r -> r.endsWith(":role/" + roleName)),
                "the identity may assume " + roleName);
    }

    @Test
    void shouldLockEvidenceAgainstDeletionAndPlainHttp() throws IOException {
        String bucket = "arn:aws:s3:::" + responder.getString(ResponderConfig.EVIDENCE_BUCKET_CONFIG);
        List<JsonNode> statements = statements(document("evidence-bucket-policy.json"));
        assertTrue(statements.stream().allMatch(s -> strings(s.get("Resource")).stream().allMatch(r -> r.startsWith(bucket))),
                "every statement is about the evidence bucket " + bucket);
        assertTrue(statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect").asText())
                && "false".equals(s.path("Condition").path("Bool").path("aws:SecureTransport").asText())), "TLS only");
        Set<String> denied = new TreeSet<>();
        statements.stream().filter(s -> "Deny".equals(s.get("Effect").asText()) && !s.has("Condition"))
                .forEach(s -> denied.addAll(strings(s.get("Action"))));
        assertTrue(denied.containsAll(Set.of("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention",
                "s3:PutBucketObjectLockConfiguration")), "deletes and governance bypass denied to everyone: " + denied);
        JsonNode writers = statements.stream().filter(s -> s.path("Condition").has("ArnNotEquals")).findFirst().orElseThrow();
        assertEquals(responder.getString(ResponderConfig.IDENTITY_ARN_CONFIG),
                writers.get("Condition").get("ArnNotEquals").get("aws:PrincipalArn").asText(), "only the responder writes evidence");
        JsonNode lock = document("evidence-bucket-object-lock.json");
        assertEquals("Enabled", lock.get("ObjectLockEnabled").asText());
        assertEquals("COMPLIANCE", lock.get("Rule").get("DefaultRetention").get("Mode").asText());
        assertEquals(responder.getString(ResponderConfig.OBJECT_LOCK_MODE_CONFIG), lock.get("Rule").get("DefaultRetention").get("Mode")
                .asText(), "the bucket's default lock mode is the one the responder sets on each object");
        assertTrue(lock.get("Rule").get("DefaultRetention").get("Days").asInt() >= 365);
        assertEquals(responder.getInt(ResponderConfig.EVIDENCE_RETENTION_DAYS_CONFIG),
                lock.get("Rule").get("DefaultRetention").get("Days").asInt(), "bucket default = the responder's per-object retention");
    }

    @Test
    void shouldLetTheConnectorsReadExactlyTheirSources() throws IOException {
        Map<String, Set<String>> granted = allowed(document("connector-policy.json"));
        Set<String> resources = granted.keySet();
        for (KafkaConnector connector : KubernetesResources.ofType(KubernetesResources.base(), KafkaConnector.class)) {
            Map<String, Object> config = connector.getSpec().getConfig();
            if (config.containsKey("location")) {
                String bucket = String.valueOf(config.get("location")).replaceFirst("^s3://", "").replaceAll("/.*", "");
                assertEquals(Set.of("s3:ListBucket"), granted.get("arn:aws:s3:::" + bucket));
                assertEquals(Set.of("s3:GetObject"), granted.get("arn:aws:s3:::" + bucket + "/AWSLogs/*"));
            }
            for (String key : List.of("queue.url", "notifications.queue.url")) {
                if (config.containsKey(key)) {
                    String queue = String.valueOf(config.get(key)).replaceAll(".*/", "");
                    assertTrue(resources.stream().anyMatch(r -> r.startsWith("arn:aws:sqs:") && r.endsWith(":" + queue)),
                            connector.getMetadata().getName() + " reads queue " + queue + " without a grant");
                }
            }
        }
        granted.values().stream().flatMap(Set::stream).filter(a -> a.startsWith("guardduty:"))
                .forEach(a -> assertTrue(a.matches("guardduty:(List|Get)[A-Za-z]+"), "GuardDuty read only: " + a));
    }

    @Test
    void shouldTrustOnlyTheServiceAccountsThatUseTheRoles() throws IOException {
        String namespace = String.valueOf(RepositoryFiles.yaml(RepositoryFiles.path("k8s/base/kustomization.yaml")).get("namespace"));
        assertEquals("system:serviceaccount:" + namespace + ":responder", subject("responder-irsa-trust-policy.json"));
        assertEquals("system:serviceaccount:" + namespace + ":trailhound-connect", subject("connector-irsa-trust-policy.json"),
                "Strimzi names the Connect service account <cluster>-connect");
    }

    private static String subject(String file) throws IOException {
        JsonNode condition = statements(document(file)).get(0).get("Condition").get("StringEquals");
        List<String> subjects = new ArrayList<>();
        condition.fields().forEachRemaining(e -> {
            if (e.getKey().endsWith(":sub")) {
                subjects.add(e.getValue().asText());
            }
        });
        assertEquals(1, subjects.size(), file + ": one service account");
        return subjects.get(0);
    }
}
