package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.deploy.PolicyEvaluator.Decision;
import io.trailhound.deploy.PolicyEvaluator.Request;

/** The evaluator's semantics, case by case, against what the IAM documentation says each construct does. */
class PolicyEvaluatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode policy(String statements) {
        try {
            return JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements.replace('\'', '"') + "]}");
        } catch (Exception e) {
            throw new IllegalArgumentException(statements, e);
        }
    }

    private static Decision decide(String statements, Request request) {
        return new PolicyEvaluator(List.of(policy(statements)), null).evaluate(request);
    }

    @Test
    void shouldDenyImplicitlyWhatNoStatementAllows() {
        assertEquals(Decision.IMPLICIT_DENY, decide("{'Effect':'Allow','Action':'ec2:StopInstances','Resource':'*'}",
            Request.of("ec2:TerminateInstances", "arn:aws:ec2:us-east-1:1:instance/i-1")));
        assertEquals(Decision.ALLOW, decide("{'Effect':'Allow','Action':'ec2:StopInstances','Resource':'*'}",
            Request.of("ec2:StopInstances", "arn:aws:ec2:us-east-1:1:instance/i-1")));
    }

    @Test
    void shouldLetAnExplicitDenyWinOverAnyAllow() {
        String statements = "{'Effect':'Allow','Action':'*','Resource':'*'},"
            + "{'Effect':'Deny','Action':'iam:PutRolePolicy','Resource':'arn:aws:iam::*:role/TrailhoundResponder'}";
        assertEquals(Decision.EXPLICIT_DENY, decide(statements,
            Request.of("iam:PutRolePolicy", "arn:aws:iam::1:role/TrailhoundResponder")));
        assertEquals(Decision.ALLOW, decide(statements, Request.of("iam:PutRolePolicy", "arn:aws:iam::1:role/app")));
    }

    @Test
    void shouldMatchActionsCaseInsensitivelyWithWildcards() {
        String statement = "{'Effect':'Allow','Action':['iam:Get*','ec2:Describe?nstances'],'Resource':'*'}";
        assertTrue(new PolicyEvaluator(List.of(policy(statement)), null).allows(Request.of("IAM:getRole", "r")));
        assertTrue(new PolicyEvaluator(List.of(policy(statement)), null).allows(Request.of("ec2:DescribeInstances", "r")));
        assertFalse(new PolicyEvaluator(List.of(policy(statement)), null).allows(Request.of("iam:PutRolePolicy", "r")));
        assertFalse(new PolicyEvaluator(List.of(policy(statement)), null).allows(Request.of("ec2:DescribeInstance", "r")));
    }

    @Test
    void shouldApplyNotActionToEveryOtherAction() {
        String statements = "{'Effect':'Allow','Action':'*','Resource':'*'},"
            + "{'Effect':'Deny','NotAction':['iam:Get*','iam:List*'],'Resource':'arn:aws:iam::*:role/Hub'}";
        assertEquals(Decision.ALLOW, decide(statements, Request.of("iam:GetRole", "arn:aws:iam::1:role/Hub")));
        assertEquals(Decision.EXPLICIT_DENY, decide(statements, Request.of("sts:AssumeRole", "arn:aws:iam::1:role/Hub")));
        assertEquals(Decision.EXPLICIT_DENY, decide(statements, Request.of("iam:UpdateAssumeRolePolicy", "arn:aws:iam::1:role/Hub")));
        assertEquals(Decision.ALLOW, decide(statements, Request.of("sts:AssumeRole", "arn:aws:iam::1:role/Other")));
    }

    @Test
    void shouldMatchResourcesCaseSensitivelyAcrossPathSeparators() {
        String statement = "{'Effect':'Allow','Action':'iam:PutRolePolicy','Resource':'arn:aws:iam::*:role/*/Trail?ound'}";
        assertEquals(Decision.ALLOW, decide(statement, Request.of("iam:PutRolePolicy", "arn:aws:iam::1:role/a/b/Trailhound")));
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, Request.of("iam:PutRolePolicy", "arn:aws:iam::1:role/a/trailhound")));
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, Request.of("iam:PutRolePolicy", "arn:aws:iam::1:role/Trailhound")));
        String notResource = "{'Effect':'Allow','Action':'s3:GetObject','NotResource':'arn:aws:s3:::secret/*'}";
        assertEquals(Decision.ALLOW, decide(notResource, Request.of("s3:GetObject", "arn:aws:s3:::public/k")));
        assertEquals(Decision.IMPLICIT_DENY, decide(notResource, Request.of("s3:GetObject", "arn:aws:s3:::secret/k")));
    }

    @Test
    void shouldRequireEveryConditionKeyAndOperator() {
        String statement = "{'Effect':'Allow','Action':'ec2:ModifySnapshotAttribute','Resource':'*','Condition':"
            + "{'StringEquals':{'ec2:Add/userId':'999'},'Null':{'ec2:Add/group':'true','aws:ResourceTag/trailhound:incident':'false'}}}";
        Request share = Request.of("ec2:ModifySnapshotAttribute", "arn:aws:ec2:us-east-1::snapshot/snap-1");
        assertEquals(Decision.ALLOW, decide(statement, share.with("ec2:Add/userId", "999").tagged("trailhound:incident", "inc-1")));
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, share.with("ec2:Add/userId", "999")), "tag missing");
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, share.with("ec2:Add/userId", "666").tagged("trailhound:incident", "i")));
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, share.with("ec2:Add/userId", "999").with("ec2:Add/group", "all")
            .tagged("trailhound:incident", "i")), "made public");
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, share.tagged("trailhound:incident", "i")), "no Add/userId: not equal");
    }

    @Test
    void shouldTreatConditionKeysCaseInsensitively() {
        String statement = "{'Effect':'Allow','Action':'iam:PassRole','Resource':'*','Condition':"
            + "{'StringEquals':{'iam:PassedToService':'ec2.amazonaws.com'}}}";
        assertEquals(Decision.ALLOW, decide(statement, Request.of("iam:PassRole", "r").with("IAM:passedtoservice", "ec2.amazonaws.com")));
        assertEquals(Decision.IMPLICIT_DENY, decide(statement, Request.of("iam:PassRole", "r").with("iam:PassedToService",
            "lambda.amazonaws.com")));
    }

    @Test
    void shouldEvaluateNegatedOperatorsAsTrueWhenTheKeyIsAbsent() {
        assertTrue(PolicyEvaluator.condition("StringNotEquals", null, List.of("a")));
        assertTrue(PolicyEvaluator.condition("ArnNotLike", null, List.of("arn:aws:iam::*:role/x")));
        assertFalse(PolicyEvaluator.condition("StringEquals", null, List.of("a")));
        assertFalse(PolicyEvaluator.condition("StringNotEquals", List.of("a"), List.of("a", "b")));
        assertTrue(PolicyEvaluator.condition("StringNotEquals", List.of("c"), List.of("a", "b")));
        assertTrue(PolicyEvaluator.condition("StringEqualsIfExists", null, List.of("a")));
        assertFalse(PolicyEvaluator.condition("StringEqualsIfExists", List.of("c"), List.of("a")));
    }

    @Test
    void shouldQualifyMultiValuedKeys() {
        List<String> ours = List.of("trailhound:incident", "trailhound:stopped-by");
        assertTrue(PolicyEvaluator.condition("ForAllValues:StringEquals", List.of("trailhound:incident"), ours));
        assertFalse(PolicyEvaluator.condition("ForAllValues:StringEquals", List.of("trailhound:incident", "Name"), ours));
        assertTrue(PolicyEvaluator.condition("ForAllValues:StringEquals", null, ours), "vacuously true without the key");
        assertTrue(PolicyEvaluator.condition("ForAnyValue:StringEquals", List.of("Name", "trailhound:stopped-by"), ours));
        assertFalse(PolicyEvaluator.condition("ForAnyValue:StringEquals", List.of("Name"), ours));
        assertFalse(PolicyEvaluator.condition("ForAnyValue:StringEquals", null, ours));
        assertTrue(PolicyEvaluator.condition("ForAnyValue:StringNotLike", List.of("trailhound:x", "Name"), List.of("trailhound:*")));
    }

    @Test
    void shouldTestPresenceWithNull() {
        assertTrue(PolicyEvaluator.condition("Null", null, List.of("true")));
        assertFalse(PolicyEvaluator.condition("Null", List.of("v"), List.of("true")));
        assertTrue(PolicyEvaluator.condition("Null", List.of("v"), List.of("false")));
        assertFalse(PolicyEvaluator.condition("Null", List.of(), List.of("false")));
    }

    @Test
    void shouldMatchArnsAndBooleans() {
        assertTrue(PolicyEvaluator.condition("ArnLike", List.of("arn:aws:iam::1:role/a/b"), List.of("arn:aws:iam::*:role/*")));
        assertTrue(PolicyEvaluator.condition("ArnEquals", List.of("arn:aws:iam::1:role/a"), List.of("arn:aws:iam::*:role/a")));
        assertFalse(PolicyEvaluator.condition("ArnLike", List.of("arn:aws:iam::1:user/a"), List.of("arn:aws:iam::*:role/*")));
        assertTrue(PolicyEvaluator.condition("Bool", List.of("true"), List.of("true")));
        assertFalse(PolicyEvaluator.condition("Bool", List.of("false"), List.of("true")));
    }

    @Test
    void shouldRefuseOperatorsItDoesNotModel() {
        assertThrows(IllegalArgumentException.class, () -> PolicyEvaluator.condition("DateLessThan", List.of("x"), List.of("y")));
        assertThrows(IllegalArgumentException.class, () -> PolicyEvaluator.condition("NumericEquals", null, List.of("1")));
        assertThrows(IllegalArgumentException.class, () -> PolicyEvaluator.condition("IpAddress", null, List.of("10.0.0.0/8")));
    }

    @Test
    void shouldCapIdentityPoliciesByTheBoundary() {
        JsonNode admin = policy("{'Effect':'Allow','Action':'*','Resource':'*'}");
        JsonNode boundary = policy("{'Effect':'Allow','Action':['ec2:StopInstances'],'Resource':'*'},"
            + "{'Effect':'Deny','Action':'iam:DeleteRolePermissionsBoundary','Resource':'*'}");
        PolicyEvaluator bounded = new PolicyEvaluator(List.of(admin), boundary);
        assertEquals(Decision.ALLOW, bounded.evaluate(Request.of("ec2:StopInstances", "i")));
        assertEquals(Decision.IMPLICIT_DENY, bounded.evaluate(Request.of("iam:CreateUser", "u")), "outside the boundary");
        assertEquals(Decision.EXPLICIT_DENY, bounded.evaluate(Request.of("iam:DeleteRolePermissionsBoundary", "r")));
        JsonNode narrow = policy("{'Effect':'Allow','Action':'ec2:DescribeInstances','Resource':'*'}");
        assertEquals(Decision.IMPLICIT_DENY, new PolicyEvaluator(List.of(narrow), boundary).evaluate(Request.of("ec2:StopInstances", "i")),
            "a boundary grants nothing by itself");
    }
}
