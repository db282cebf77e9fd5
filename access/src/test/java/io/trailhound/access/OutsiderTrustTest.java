package io.trailhound.access;

import static io.trailhound.access.Iam.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Issue #15 items 2 and 3: principals outside the snapshot that trust policies name become nodes with edges: a federated
 * provider (CONDITIONAL on the claims it tests), an account not in the snapshot (its administrators decide: DEFINITE), a
 * principal of such an account (its identity policies are unknown: CONDITIONAL), and anyone.
 */
class OutsiderTrustTest {

    private static final String ROLE = "arn:aws:iam::111111111111:role/deployer";
    private static final String OIDC = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";

    private static Edge edgeFrom(String trustStatement, String from) {
        Iam iam = new Iam();
        iam.account("111111111111").role("deployer", doc(trustStatement));
        AccessGraph graph = GraphBuilder.build(iam.snapshot());
        List<Edge> edges = graph.edgesFrom(from);
        assertEquals(1, edges.size(), from + ": " + graph.edges());
        assertEquals(ROLE, edges.get(0).to());
        assertTrue(graph.nodes().get(from).external());
        return edges.get(0);
    }

    @Test
    void shouldMakeAFederatedTrustConditionalOnItsClaims() {
        Edge e = edgeFrom("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + OIDC + "\"},"
            + "\"Action\":\"sts:AssumeRoleWithWebIdentity\","
            + "\"Condition\":{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:acme/*\"}}}", OIDC);
        assertEquals(Confidence.CONDITIONAL, e.confidence());
        assertEquals(Set.of("token.actions.githubusercontent.com:sub"), e.conditions());
    }

    @Test
    void shouldNotLetAFederatedProviderInThroughAnAssumeRoleOnlyTrust() {
        Iam iam = new Iam();
        iam.account("111111111111").role("deployer", doc("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + OIDC + "\"},"
            + "\"Action\":\"sts:AssumeRole\"}"));
        assertTrue(GraphBuilder.build(iam.snapshot()).edges().isEmpty());
    }

    @Test
    void shouldTrustAnOutsideAccountDefinitelyAndItsNamedPrincipalConditionally() {
        Edge account = edgeFrom("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"999999999999\"},\"Action\":\"sts:AssumeRole\"}",
            "arn:aws:iam::999999999999:root");
        assertEquals(Confidence.DEFINITE, account.confidence());
        String vendor = "arn:aws:iam::999999999999:role/vendor";
        Edge named = edgeFrom("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + vendor + "\"},\"Action\":\"sts:AssumeRole\"}", vendor);
        assertEquals(Confidence.CONDITIONAL, named.confidence());
        assertTrue(named.conditions().stream().anyMatch(c -> c.contains("identity policies of " + vendor)), named.conditions().toString());
    }

    @Test
    void shouldLetAnyoneInThroughAWildcardTrust() {
        Edge e = edgeFrom("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}", "*");
        assertEquals(Confidence.DEFINITE, e.confidence());
        assertEquals("sts-001", e.technique());
    }
}
