package io.trailhound.access;

import static io.trailhound.access.Iam.allow;
import static io.trailhound.access.Iam.doc;
import static io.trailhound.access.Iam.service;
import static io.trailhound.access.Iam.trust;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 2: conditions the graph knows are decided, not guessed. {@code iam:PassedToService} is known when a
 * PassRole technique passes a role to its service; {@code aws:PrincipalTag/...} is known from GAAD's tags; a role's role
 * ARN named in a trust is still limited by its permissions boundary within the account.
 */
class PassRoleConditionTest {

    private static final String A = "111111111111";
    private static final String ACTOR = "arn:aws:iam::111111111111:user/actor";
    private static final String FN_ROLE = "arn:aws:iam::111111111111:role/fn";

    private static List<Edge> lambdaEdges(String passedTo) {
        Iam iam = new Iam();
        Iam.Gaad g = iam.account(A);
        g.role("fn", trust(service("lambda.amazonaws.com"), null));
        g.user("actor", doc("{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"" + FN_ROLE + "\",\"Condition\":"
            + "{\"StringEquals\":{\"iam:PassedToService\":\"" + passedTo + "\"}}}",
            Iam.stmt("Allow", List.of("lambda:CreateFunction", "lambda:InvokeFunction"), List.of("*"))));
        return GraphBuilder.build(iam.snapshot()).edgesFrom(ACTOR);
    }

    @Test
    void shouldDecideIamPassedToService() {
        List<Edge> toLambda = lambdaEdges("lambda.amazonaws.com");
        assertEquals(1, toLambda.size(), toLambda.toString());
        assertEquals("lambda-001", toLambda.get(0).technique());
        assertEquals(Confidence.DEFINITE, toLambda.get(0).confidence());
        assertEquals(List.of(), lambdaEdges("ec2.amazonaws.com"), "a role passable only to EC2 cannot go to Lambda");
    }

    @Test
    void shouldDecidePrincipalTagsFromTheSnapshot() {
        for (String team : List.of("ops", "dev")) {
            Iam iam = new Iam();
            Iam.Gaad g = iam.account(A);
            g.role("ops-admin", trust("{\"AWS\":\"arn:aws:iam::111111111111:root\"}",
                "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"ops\"}}"));
            var actor = g.user("actor", doc(allow("sts:AssumeRole", "*")));
            actor.putArray("Tags").addObject().put("Key", "team").put("Value", team);
            List<Edge> edges = GraphBuilder.build(iam.snapshot()).edgesFrom(ACTOR);
            assertEquals("ops".equals(team) ? 1 : 0, edges.size(), team + ": " + edges);
            edges.forEach(e -> assertEquals(Confidence.DEFINITE, e.confidence()));
        }
    }

    @Test
    void shouldLimitARoleNamedByItsArnWithItsBoundary() {
        Iam iam = new Iam();
        Iam.Gaad g = iam.account(A);
        g.role("target", trust("{\"AWS\":\"arn:aws:iam::111111111111:role/actor\"}", null));
        var actor = g.role("actor", trust(service("ec2.amazonaws.com"), null));
        Iam.Gaad.boundary(actor, "arn:aws:iam::111111111111:policy/b");
        g.policy("arn:aws:iam::111111111111:policy/b", doc(allow("s3:*", "*")));
        Snapshot s = iam.snapshot();
        Decision d = new PolicyEvaluator(s).assumeRole(s.identity("arn:aws:iam::111111111111:role/actor").orElseThrow(),
            s.identity("arn:aws:iam::111111111111:role/target").orElseThrow());
        assertEquals(Decision.Verdict.IMPLICIT_DENY, d.verdict());
        assertTrue(GraphBuilder.build(s).edgesFrom("arn:aws:iam::111111111111:role/actor").isEmpty());
    }
}
