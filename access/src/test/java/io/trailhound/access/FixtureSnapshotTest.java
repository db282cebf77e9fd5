package io.trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 3 on the fixture snapshot (src/test/resources/fixture-snapshot, also used by the CLI tests): three accounts,
 * a cross-account trust, a wildcard trust, an external trust, admin roles, a PassRole path and a trust-policy takeover.
 */
class FixtureSnapshotTest {

    static final String ALICE = "arn:aws:iam::111111111111:user/alice";
    static final String LAMBDA_ADMIN = "arn:aws:iam::111111111111:role/lambda-admin";
    static final String DEPLOY = "arn:aws:iam::222222222222:role/deploy";
    static final String PROD_ADMIN = "arn:aws:iam::222222222222:role/prod-admin";
    static final String SHARED_ADMIN = "arn:aws:iam::333333333333:role/shared-admin";
    static final String CI = "arn:aws:iam::111111111111:role/ci";

    private static Snapshot snapshot;
    private static AccessGraph graph;

    static Path fixture() throws URISyntaxException {
        return Path.of(FixtureSnapshotTest.class.getResource("/fixture-snapshot").toURI());
    }

    @BeforeAll
    static void read() throws Exception {
        snapshot = SnapshotReader.read(fixture(), SnapshotOptions.defaults());
        graph = GraphBuilder.build(snapshot);
    }

    private static Optional<Reachable> reach(BlastRadius r, String arn) {
        return r.reachable().stream().filter(x -> x.arn().equals(arn)).findFirst();
    }

    @Test
    void shouldFindAlicesShortestWayToAdministratorThroughPassRole() {
        BlastRadius r = BlastRadius.of(graph, snapshot, ALICE, 5);
        assertTrue(r.adminEquivalent());
        assertEquals(List.of(new PathStep(ALICE, LAMBDA_ADMIN, "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction on "
            + LAMBDA_ADMIN + " via lambda.amazonaws.com", "lambda-001", Confidence.DEFINITE)), r.adminPath());
        assertEquals(List.of("111111111111", "222222222222", "333333333333"), r.accounts());
        Reachable deploy = reach(r, DEPLOY).orElseThrow();
        assertEquals(1, deploy.hops());
        assertEquals("sts-001", deploy.path().get(0).technique());
        Reachable prodAdmin = reach(r, PROD_ADMIN).orElseThrow();
        assertEquals(2, prodAdmin.hops());
        assertEquals("iam-012", prodAdmin.path().get(1).technique(), "trust takeover, the trust itself requires MFA");
        assertTrue(prodAdmin.adminEquivalent());
        Reachable sharedAdmin = reach(r, SHARED_ADMIN).orElseThrow();
        assertEquals(Confidence.DEFINITE, sharedAdmin.confidence());
        Reachable ci = reach(r, CI).orElseThrow();
        assertEquals(Confidence.CONDITIONAL, ci.confidence());
        assertEquals(java.util.Set.of("aws:PrincipalOrgID"), ci.conditions());
        Map<String, Integer> points = r.risk().components().stream()
            .collect(java.util.stream.Collectors.toMap(RiskScore.Component::name, RiskScore.Component::points));
        assertEquals(40, points.get("admin-equivalent"));
        assertEquals(15, points.get("reachable-admin-roles"));
        assertEquals(10, points.get("reachable-accounts"));
        assertEquals(r.risk().score(), points.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void shouldDecideTheOrganizationConditionWhenTheOrganizationIsKnown() throws Exception {
        Snapshot inOrg = SnapshotReader.read(fixture(), new SnapshotOptions(java.util.Set.of(), "o-exampleorg", java.time.Instant.now()));
        BlastRadius r = BlastRadius.of(GraphBuilder.build(inOrg), inOrg, ALICE, 5);
        assertEquals(Confidence.DEFINITE, reach(r, CI).orElseThrow().confidence());
    }

    @Test
    void shouldGiveTheBlastRadiusOfAnOutsider() {
        BlastRadius anyone = BlastRadius.of(graph, snapshot, "*", 1);
        assertEquals(List.of("111111111111", "333333333333"), anyone.accounts());
        assertEquals(Confidence.DEFINITE, reach(anyone, SHARED_ADMIN).orElseThrow().confidence());
        assertEquals(Confidence.CONDITIONAL, reach(anyone, CI).orElseThrow().confidence());
        assertTrue(anyone.adminEquivalent(), "anyone on the internet can become shared-admin");
        assertEquals(5, anyone.risk().components().stream().filter(c -> c.name().equals("reachable-admin-roles")).findFirst()
            .orElseThrow().points(), "one administrator role within one hop");
    }

    @Test
    void shouldLimitTheSearchToMaxHops() {
        BlastRadius r = BlastRadius.of(graph, snapshot, ALICE, 1);
        assertTrue(r.reachable().stream().allMatch(x -> x.hops() == 1), r.reachable().toString());
        assertTrue(reach(r, PROD_ADMIN).isEmpty());
    }

    @Test
    void shouldNameUnknownPoliciesAndKeepTheirPrincipalsConditional() {
        assertTrue(graph.unsupported().stream().anyMatch(u -> u.contains("arn:aws:iam::aws:policy/ReadOnlyAccess")),
            graph.unsupported().toString());
        BlastRadius bob = BlastRadius.of(graph, snapshot, "arn:aws:iam::111111111111:user/bob", 5);
        assertEquals(Confidence.CONDITIONAL, bob.adminConfidence(), "an unknown policy is never taken for admin, nor for nothing");
        assertTrue(bob.adminConditions().contains("unknown-policy arn:aws:iam::aws:policy/ReadOnlyAccess"),
            bob.adminConditions().toString());
        BlastRadius alice = BlastRadius.of(graph, snapshot, ALICE, 5);
        assertFalse(reach(alice, "arn:aws:iam::111111111111:user/bob").orElseThrow().adminEquivalent(), "only DEFINITE counts");
        assertTrue(bob.reachable().stream().allMatch(x -> x.confidence() == Confidence.CONDITIONAL), bob.reachable().toString());
    }

    @Test
    void shouldDrawOutsidersAndScoreWildcardAndExternalTrust() {
        assertTrue(graph.nodes().containsKey("*"));
        assertTrue(graph.nodes().containsKey("arn:aws:iam::999999999999:root"));
        BlastRadius shared = BlastRadius.of(graph, snapshot, SHARED_ADMIN, 5);
        assertTrue(shared.adminEquivalent());
        assertEquals(List.of(), shared.adminPath(), "administrator by its own policies: no path");
        RiskScore.Component trust = shared.risk().components().stream().filter(c -> c.name().equals("external-or-wildcard-trust"))
            .findFirst().orElseThrow();
        assertEquals(15, trust.points());
        BlastRadius auditor = BlastRadius.of(graph, snapshot, "arn:aws:iam::222222222222:role/auditor", 5);
        assertEquals(10, auditor.risk().components().stream().filter(c -> c.name().equals("external-or-wildcard-trust"))
            .findFirst().orElseThrow().points());
        String svg = SvgGraph.render(GraphView.trust(graph));
        for (Node n : GraphView.trust(graph).nodes()) {
            assertTrue(svg.contains(SvgGraph.escape(n.label())), n.label());
        }
        assertTrue(DotGraph.render(GraphView.trust(graph)).contains("subgraph cluster_"));
        assertTrue(AccessText.blastRadius(BlastRadius.of(graph, snapshot, ALICE, 5)).contains("[lambda-001, DEFINITE]"));
        assertTrue(AccessText.risks(RiskRanking.of(graph, snapshot, 5)).startsWith(" 75  " + SHARED_ADMIN));
    }
}
