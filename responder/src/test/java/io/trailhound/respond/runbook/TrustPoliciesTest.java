package io.trailhound.respond.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** #18 item 5: a federated role's trust policy narrowed to the subjects it served before, other statements untouched. */
class TrustPoliciesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GITHUB = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
    private static final String OKTA = "arn:aws:iam::111111111111:saml-provider/Okta";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + GITHUB + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
        + "\"Condition\":{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"},"
        + "\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:*\"}}},"
        + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111111111111:root\"},\"Action\":\"sts:AssumeRole\"}]}";

    @Test
    void shouldRestrictTheSubjectConditionToTheServedSubjectsAndKeepEverythingElse() throws Exception {
        String narrowed = TrustPolicies.narrow(POLICY, GITHUB, List.of("repo:acme/webapp:ref:refs/heads/main",
            "repo:acme/infra:ref:refs/heads/main")).orElseThrow();
        JsonNode statements = MAPPER.readTree(narrowed).path("Statement");
        JsonNode condition = statements.get(0).path("Condition");
        assertEquals(MAPPER.readTree("{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\","
            + "\"token.actions.githubusercontent.com:sub\":[\"repo:acme/infra:ref:refs/heads/main\","
            + "\"repo:acme/webapp:ref:refs/heads/main\"]}}"), condition, "the wildcard is gone, the audience kept");
        assertEquals(MAPPER.readTree(POLICY).path("Statement").get(1), statements.get(1), "other statements untouched");
    }

    @Test
    void shouldNarrowASamlTrustOnSamlSubAndNothingForAnotherProvider() throws Exception {
        String saml = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":[\"" + OKTA
            + "\"]},\"Action\":[\"sts:AssumeRoleWithSAML\",\"sts:TagSession\"],\"Condition\":{\"StringEquals\":"
            + "{\"SAML:aud\":\"https://signin.aws.amazon.com/saml\"}}}}";
        JsonNode narrowed = MAPPER.readTree(TrustPolicies.narrow(saml, OKTA, List.of("alice@acme.example")).orElseThrow());
        assertEquals("alice@acme.example", narrowed.path("Statement").path("Condition").path("StringEquals").path("SAML:sub")
            .get(0).asText());
        assertEquals(Optional.empty(), TrustPolicies.narrow(POLICY, OKTA, List.of("x")), "no statement trusts Okta here");
    }

    @Test
    void shouldShowTheExactDiff() {
        String narrowed = TrustPolicies.narrow(POLICY, GITHUB, List.of("repo:acme/webapp:ref:refs/heads/main")).orElseThrow();
        String diff = TrustPolicies.diff(POLICY, narrowed);
        assertTrue(diff.contains("- ") && diff.contains("\"token.actions.githubusercontent.com:sub\" : \"repo:*\""), diff);
        assertTrue(diff.contains("+ ") && diff.contains("\"repo:acme/webapp:ref:refs/heads/main\""), diff);
        assertTrue(diff.lines().anyMatch(l -> l.startsWith("  ") && l.contains("sts:AssumeRole\"")), "common lines kept: " + diff);
        assertEquals(TrustPolicies.pretty(narrowed).lines().count(), diff.lines().filter(l -> !l.startsWith("- ")).count());
    }
}
