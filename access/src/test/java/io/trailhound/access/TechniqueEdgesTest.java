package io.trailhound.access;

import static io.trailhound.access.Iam.allow;
import static io.trailhound.access.Iam.aws;
import static io.trailhound.access.Iam.deny;
import static io.trailhound.access.Iam.doc;
import static io.trailhound.access.Iam.service;
import static io.trailhound.access.Iam.trust;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.trailhound.access.Technique.Category;

/**
 * Issue #15 items 3 and 5: for every technique of the catalog, an account where the actor holds all its required permissions
 * has the edge (to the right target, with the right confidence), and an account where one is dropped, explicitly denied,
 * left out of a permissions boundary or denied by an SCP has not. In every case, every edge out of the actor is justified:
 * its technique's required permissions are all among those the actor effectively holds (zero false edges).
 */
class TechniqueEdgesTest {

    private static final String A = "111111111111";
    private static final String ROOT = "arn:aws:iam::111111111111:root";
    private static final String GRANT = "arn:aws:iam::111111111111:policy/grant";
    private static final String TARGET_POLICY = "arn:aws:iam::111111111111:policy/target-policy";
    private static final String BOUNDARY = "arn:aws:iam::111111111111:policy/boundary";
    private static final String FULL = doc(allow("*", "*"));

    private enum Variant { POSITIVE, DROPPED, DENIED, BOUNDARY, SCP }

    @TestFactory
    Stream<DynamicTest> shouldFindEachTechniqueOnlyWithAllItsPermissions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Technique t : TechniqueCatalog.all()) {
            tests.add(dynamicTest(t.id() + " with all of " + t.required(), () -> check(t, Variant.POSITIVE, null)));
            for (String perm : t.required()) {
                for (Variant v : List.of(Variant.DROPPED, Variant.DENIED, Variant.BOUNDARY, Variant.SCP)) {
                    tests.add(dynamicTest(t.id() + " " + v + " " + perm, () -> check(t, v, perm)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(Technique t, Variant variant, String perm) {
        Snapshot snapshot = scenario(t, variant, perm).snapshot();
        AccessGraph graph = GraphBuilder.build(snapshot);
        String actor = actor(t);
        List<Edge> out = graph.edgesFrom(actor);
        Set<String> held = new HashSet<>(t.required());
        if (perm != null) {
            held.remove(perm);
        }
        for (Edge e : out) {
            Technique used = TechniqueCatalog.byId(e.technique()).orElseThrow();
            assertTrue(held.containsAll(used.required()), "false edge " + e + " with only " + held);
        }
        List<Edge> found = out.stream().filter(e -> t.id().equals(e.technique())).toList();
        if (variant != Variant.POSITIVE) {
            assertEquals(List.of(), found, t.id() + " " + variant + " " + perm);
            return;
        }
        assertEquals(1, found.size(), t.id() + ": " + out);
        Edge edge = found.get(0);
        assertEquals(target(t), edge.to(), t.id());
        Confidence expected = t.prerequisite() == null ? Confidence.DEFINITE : Confidence.CONDITIONAL;
        assertEquals(expected, edge.confidence(), t.id() + " " + edge.conditions());
        assertTrue(!edge.evidence().isEmpty() && edge.evidence().stream().allMatch(ev -> ev.policy().equals(GRANT)
            || ev.policy().startsWith("trust:")), "evidence cites the grant: " + edge.evidence());
        boolean escalates = t.category() == Category.SELF_ESCALATION || t.category() == Category.MODIFY_THEN_ACCESS;
        assertEquals(escalates, edge.grantsAdmin(), t.id());
        BlastRadius radius = BlastRadius.of(graph, snapshot, actor, 5);
        assertTrue(radius.reachable().stream().anyMatch(r -> r.arn().equals(edge.to())) || edge.to().equals(actor), t.id());
    }

    private static boolean actorIsRole(Technique t) {
        return "iam-005".equals(t.id()) || "iam-009".equals(t.id());
    }

    private static String actor(Technique t) {
        return "arn:aws:iam::" + A + (actorIsRole(t) ? ":role/actor" : ":user/actor");
    }

    private static String target(Technique t) {
        if ("iam-013".equals(t.id())) {
            return "arn:aws:iam::" + A + ":group/admins";
        }
        if (t.category() == Category.SELF_ESCALATION) {
            return actor(t);
        }
        if (t.category() == Category.CREDENTIALS || "iam-015".equals(t.id()) || "iam-018".equals(t.id())) {
            return "arn:aws:iam::" + A + ":user/bob";
        }
        return "arn:aws:iam::" + A + ":role/target";
    }

    private static String resource(Technique t, String perm) {
        String bob = "arn:aws:iam::" + A + ":user/bob";
        String targetRole = "arn:aws:iam::" + A + ":role/target";
        return switch (perm) {
            case "sts:AssumeRole", "iam:UpdateAssumeRolePolicy", "iam:PassRole" -> targetRole;
            case "iam:CreatePolicyVersion" -> "iam-001".equals(t.id()) ? GRANT : TARGET_POLICY;
            case "iam:PutRolePolicy", "iam:AttachRolePolicy" -> actorIsRole(t) ? actor(t) : targetRole;
            case "iam:PutUserPolicy", "iam:AttachUserPolicy" -> t.category() == Category.SELF_ESCALATION ? actor(t) : bob;
            case "iam:AttachGroupPolicy", "iam:PutGroupPolicy" -> "arn:aws:iam::" + A + ":group/devs";
            case "iam:AddUserToGroup" -> "arn:aws:iam::" + A + ":group/admins";
            case "iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile" -> bob;
            default -> "*";
        };
    }

    private static String targetTrust(Technique t) {
        if (t.category() == Category.PASS_ROLE) {
            return trust(service(t.trustedServices().get(0)), null);
        }
        boolean takeover = t.required().contains("iam:UpdateAssumeRolePolicy");
        return takeover ? trust(service("ec2.amazonaws.com"), null) : trust(aws(ROOT), null);
    }

    private static Iam scenario(Technique t, Variant variant, String perm) {
        Iam iam = new Iam();
        Iam.Gaad g = iam.account(A).adminPolicy();
        g.policy(TARGET_POLICY, doc(allow("s3:GetObject", "*")));
        Iam.Gaad.attach(g.group("admins"), Iam.ADMIN_ARN);
        g.group("devs");
        g.user("bob");
        ObjectNode target = g.role("target", targetTrust(t));
        Iam.Gaad.attach(target, TARGET_POLICY);
        Iam.Gaad.instanceProfile(target);
        ObjectNode actor = actorIsRole(t) ? g.role("actor", trust(service("ec2.amazonaws.com"), null)) : g.user("actor");
        if (!actorIsRole(t)) {
            Iam.Gaad.member(actor, "devs");
        }
        List<String> statements = new ArrayList<>(List.of(allow("s3:ListBucket", "*")));
        for (String p : t.required()) {
            if (variant != Variant.DROPPED || !p.equals(perm)) {
                statements.add(allow(p, resource(t, p)));
            }
        }
        if (variant == Variant.DENIED) {
            statements.add(deny(perm, "*"));
        }
        g.policy(GRANT, doc(statements.toArray(String[]::new)));
        Iam.Gaad.attach(actor, GRANT);
        if (variant == Variant.BOUNDARY) {
            g.policy(BOUNDARY, doc("{\"Effect\":\"Allow\",\"NotAction\":\"" + perm + "\",\"Resource\":\"*\"}"));
            Iam.Gaad.boundary(actor, BOUNDARY);
        }
        if (variant == Variant.SCP) {
            g.scp(List.of(FULL, doc(deny(perm, "*"))));
        }
        return iam;
    }
}
