package io.trailhound.access;

import static io.trailhound.access.Iam.allow;
import static io.trailhound.access.Iam.aws;
import static io.trailhound.access.Iam.deny;
import static io.trailhound.access.Iam.doc;
import static io.trailhound.access.Iam.trust;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.trailhound.access.Decision.Verdict;

/**
 * Issue #15 item 2: the evaluator against a table written from AWS's documented evaluation logic ("Policy evaluation logic",
 * "Cross-account policy evaluation logic", "Permissions boundaries", "SCPs"). Each row builds its accounts, asks one
 * question and names the verdict and, for CONDITIONAL, the condition key the answer must name.
 */
class PolicyEvaluatorTest {

    private static final String A = "111111111111";
    private static final String B = "222222222222";
    private static final String ALICE = "arn:aws:iam::111111111111:user/alice";
    private static final String TARGET = "arn:aws:iam::222222222222:role/target";
    private static final String LOCAL = "arn:aws:iam::111111111111:role/local";
    private static final String BOUNDARY = "arn:aws:iam::111111111111:policy/boundary";

    private record Row(String name, Consumer<Iam> setup, String caller, String action, String resource, Verdict expected,
                       String condition, SnapshotOptions options) {
    }

    private static Row row(String name, Consumer<Iam> setup, String action, String resource, Verdict expected) {
        return new Row(name, setup, ALICE, action, resource, expected, null, SnapshotOptions.defaults());
    }

    private static Row conditional(String name, Consumer<Iam> setup, String action, String resource, String key) {
        return new Row(name, setup, ALICE, action, resource, Verdict.CONDITIONAL, key, SnapshotOptions.defaults());
    }

    private static Consumer<Iam> alice(String... inline) {
        return iam -> iam.account(A).user("alice", inline);
    }

    private static Consumer<Iam> both(Consumer<Iam> first, Consumer<Iam> second) {
        return first.andThen(second);
    }

    private static Consumer<Iam> targetTrusting(String trustDoc) {
        return iam -> iam.account(B).role("target", trustDoc);
    }

    private static Consumer<Iam> localTrusting(String trustDoc) {
        return iam -> iam.account(A).role("local", trustDoc);
    }

    private static Consumer<Iam> withBoundary(String boundaryDoc, String... inline) {
        return iam -> {
            var user = iam.account(A).user("alice", inline);
            Iam.Gaad.boundary(user, BOUNDARY);
            iam.account(A).policy(BOUNDARY, boundaryDoc);
        };
    }

    private static Consumer<Iam> scps(List<List<String>> levels, String... inline) {
        return iam -> {
            iam.account(A).user("alice", inline);
            levels.forEach(iam.account(A)::scp);
        };
    }

    private static List<Row> rows() {
        String full = doc(allow("*", "*"));
        return List.of(
            row("identity policy allows", alice(doc(allow("s3:GetObject", "*"))), "s3:GetObject", "arn:aws:s3:::b/k", Verdict.ALLOW),
            row("nothing allows: implicit deny", alice(), "s3:GetObject", "arn:aws:s3:::b/k", Verdict.IMPLICIT_DENY),
            row("explicit deny in an identity policy wins over an allow", alice(full, doc(deny("s3:*", "*"))), "s3:GetObject", "*",
                Verdict.EXPLICIT_DENY),
            row("actions are case-insensitive, * and ? are wildcards", alice(doc(allow("IAM:create*", "*"), allow("s3:GetObjec?", "*"))),
                "iam:CreateUser", "arn:aws:iam::111111111111:user/x", Verdict.ALLOW),
            row("? matches exactly one character", alice(doc(allow("s3:GetObjec?", "*"))), "s3:GetObjectAcl", "*",
                Verdict.IMPLICIT_DENY),
            row("NotAction allows every other action", alice(doc("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}")),
                "s3:PutObject", "arn:aws:s3:::b/k", Verdict.ALLOW),
            row("NotAction does not allow the listed action",
                alice(doc("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}")),
                "iam:CreateUser", "*", Verdict.IMPLICIT_DENY),
            row("NotAction in a deny denies everything else",
                alice(full, doc("{\"Effect\":\"Deny\",\"NotAction\":\"s3:*\",\"Resource\":\"*\"}")),
                "iam:CreateUser", "*", Verdict.EXPLICIT_DENY),
            row("NotResource allows other resources",
                alice(doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::secret/*\"}")),
                "s3:GetObject", "arn:aws:s3:::public/k", Verdict.ALLOW),
            row("NotResource does not allow the listed resources",
                alice(doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::secret/*\"}")),
                "s3:GetObject", "arn:aws:s3:::secret/k", Verdict.IMPLICIT_DENY),
            row("some resource of the service: an Allow on some of them allows",
                alice(doc(allow("lambda:CreateFunction", "arn:aws:lambda:*:*:function:app-*"))), "lambda:CreateFunction", null,
                Verdict.ALLOW),
            row("some resource of the service: a Deny on all of them denies", alice(full, doc(deny("lambda:*",
                "arn:aws:lambda:*:*:*"))), "lambda:CreateFunction", null, Verdict.EXPLICIT_DENY),
            conditional("some resource of the service: a Deny on some of them is CONDITIONAL", alice(full, doc(deny("lambda:*",
                "arn:aws:lambda:*:111111111111:function:prod-*"))), "lambda:CreateFunction", null,
                "resource-scoped Deny on arn:aws:lambda:*:111111111111:function:prod-*"),
            row("some resource of the service: a Deny on another service's resources does not apply", alice(full, doc(deny("*",
                "arn:aws:s3:::secret/*"))), "lambda:CreateFunction", null, Verdict.ALLOW),
            row("a permissions boundary without the action: implicit deny", withBoundary(doc(allow("s3:*", "*")), full),
                "iam:CreateUser", "*", Verdict.IMPLICIT_DENY),
            row("boundary and identity both allow", withBoundary(doc(allow("s3:*", "*")), full), "s3:GetObject", "*", Verdict.ALLOW),
            row("a boundary alone grants nothing", withBoundary(full), "s3:GetObject", "*", Verdict.IMPLICIT_DENY),
            row("explicit deny in a boundary", withBoundary(doc(allow("*", "*"), deny("s3:*", "*")), full), "s3:GetObject", "*",
                Verdict.EXPLICIT_DENY),
            row("every SCP level must allow", scps(List.of(List.of(full), List.of(doc(allow("s3:*", "*")))), full), "iam:CreateUser", "*",
                Verdict.IMPLICIT_DENY),
            row("within an SCP level any policy may allow",
                scps(List.of(List.of(full), List.of(doc(allow("s3:*", "*")), doc(allow("iam:*", "*")))), full),
                "iam:CreateUser", "*", Verdict.ALLOW),
            row("an SCP grants nothing by itself", scps(List.of(List.of(full))), "s3:GetObject", "*", Verdict.IMPLICIT_DENY),
            row("explicit deny in an SCP", scps(List.of(List.of(full, doc(deny("iam:*", "*")))), full), "iam:CreateUser", "*",
                Verdict.EXPLICIT_DENY),
            new Row("SCPs do not apply to the management account", scps(List.of(List.of(doc(deny("iam:*", "*")))), full), ALICE,
                "iam:CreateUser", "*", Verdict.ALLOW, null, new SnapshotOptions(Set.of(A), null, Instant.now())));
    }

    private static List<Row> trustRows() {
        String assumeTarget = doc(allow("sts:AssumeRole", TARGET));
        String assumeLocal = doc(allow("sts:AssumeRole", LOCAL));
        String full = doc(allow("*", "*"));
        return List.of(
            row("same account: a trust naming the user's ARN suffices", localTrusting(trust(aws(ALICE), null)).andThen(alice()),
                "sts:AssumeRole", LOCAL, Verdict.ALLOW),
            row("same account: a trust naming the account delegates to identity policies (none)",
                both(alice(), localTrusting(trust(aws("arn:aws:iam::111111111111:root"), null))), "sts:AssumeRole", LOCAL,
                Verdict.IMPLICIT_DENY),
            row("same account: account trust (bare id) and identity allow",
                both(alice(assumeLocal), localTrusting(trust(aws(A), null))), "sts:AssumeRole", LOCAL, Verdict.ALLOW),
            row("same account: identity allows but the trust does not name the caller",
                both(alice(assumeLocal), localTrusting(trust(aws("arn:aws:iam::111111111111:user/bob"), null))), "sts:AssumeRole", LOCAL,
                Verdict.IMPLICIT_DENY),
            row("cross-account: the trust names the user but its own account does not allow",
                both(alice(), targetTrusting(trust(aws(ALICE), null))), "sts:AssumeRole", TARGET, Verdict.IMPLICIT_DENY),
            row("cross-account: both sides allow", both(alice(assumeTarget), targetTrusting(trust(aws(ALICE), null))),
                "sts:AssumeRole", TARGET, Verdict.ALLOW),
            row("cross-account: root delegation and identity allow",
                both(alice(assumeTarget), targetTrusting(trust(aws("arn:aws:iam::111111111111:root"), null))), "sts:AssumeRole", TARGET,
                Verdict.ALLOW),
            row("cross-account: identity allows, the trust names another account",
                both(alice(assumeTarget), targetTrusting(trust(aws("arn:aws:iam::333333333333:root"), null))), "sts:AssumeRole", TARGET,
                Verdict.IMPLICIT_DENY),
            row("cross-account: a wildcard trust still needs the caller's own allow",
                both(alice(), targetTrusting(trust("\"*\"", null))), "sts:AssumeRole", TARGET, Verdict.IMPLICIT_DENY),
            row("explicit deny in a trust policy",
                both(alice(assumeTarget), targetTrusting(doc("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},"
                    + "\"Action\":\"sts:AssumeRole\"}",
                    "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"" + ALICE + "\"},\"Action\":\"sts:*\"}"))), "sts:AssumeRole", TARGET,
                Verdict.EXPLICIT_DENY),
            row("NotPrincipal in a trust deny: everyone else is denied",
                both(alice(assumeTarget), targetTrusting(doc("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}",
                    "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111111111111:user/bob\"},\"Action\":\"sts:*\"}"))),
                "sts:AssumeRole", TARGET, Verdict.EXPLICIT_DENY),
            row("a Service, Federated or CanonicalUser principal does not name an IAM user",
                both(alice(assumeTarget), targetTrusting(doc("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\","
                    + "\"Federated\":\"arn:aws:iam::111111111111:oidc-provider/x\",\"CanonicalUser\":\"abc\"},"
                    + "\"Action\":\"sts:AssumeRole\"}"))),
                "sts:AssumeRole", TARGET, Verdict.IMPLICIT_DENY),
            row("same account: a boundary does not limit a grant to the user's ARN",
                both(withBoundary(doc(allow("s3:*", "*"))), localTrusting(trust(aws(ALICE), null))), "sts:AssumeRole", LOCAL,
                Verdict.ALLOW),
            row("a known condition key is decided: aws:PrincipalAccount",
                alice(doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:PrincipalAccount\":\"999999999999\"}}}")), "s3:GetObject", "*", Verdict.IMPLICIT_DENY),
            row("a known condition key is decided: aws:PrincipalArn with ArnLike",
                both(alice(assumeTarget), targetTrusting(trust("\"*\"",
                    "{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111111111111:user/*\"}}"))),
                "sts:AssumeRole", TARGET, Verdict.ALLOW),
            conditional("an unknown condition key: CONDITIONAL naming aws:MultiFactorAuthPresent",
                alice(doc("{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":"
                    + "{\"aws:MultiFactorAuthPresent\":\"true\"}}}")), "s3:GetObject", "*", "aws:MultiFactorAuthPresent"),
            conditional("a conditional deny makes an allow CONDITIONAL", alice(full, doc("{\"Effect\":\"Deny\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}")), "s3:GetObject", "*",
                "aws:SourceIp"),
            conditional("sts:ExternalId in a trust: CONDITIONAL", both(alice(assumeTarget),
                targetTrusting(trust(aws(ALICE), "{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}"))), "sts:AssumeRole", TARGET,
                "sts:ExternalId"),
            conditional("aws:PrincipalOrgID without a known organization: CONDITIONAL", both(alice(assumeTarget),
                targetTrusting(trust("\"*\"", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"))), "sts:AssumeRole", TARGET,
                "aws:PrincipalOrgID"),
            new Row("aws:PrincipalOrgID with the organization known", both(alice(assumeTarget),
                targetTrusting(trust("\"*\"", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"))), ALICE, "sts:AssumeRole", TARGET,
                Verdict.ALLOW, null, new SnapshotOptions(Set.of(), "o-abc", Instant.now())),
            conditional("a managed policy missing from the snapshot: CONDITIONAL naming it", iam -> Iam.Gaad.attach(
                iam.account(A).user("alice"), "arn:aws:iam::aws:policy/ReadOnlyAccess"), "s3:GetObject", "*",
                "unknown-policy arn:aws:iam::aws:policy/ReadOnlyAccess"),
            conditional("a policy variable in a resource: CONDITIONAL",
                alice(doc(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))),
                "s3:GetObject", "arn:aws:s3:::home/alice/k", "policy-variable arn:aws:s3:::home/${aws:username}/*"));
    }

    @TestFactory
    Stream<DynamicTest> shouldFollowAwsEvaluationLogic() {
        return Stream.concat(rows().stream(), trustRows().stream()).map(row -> dynamicTest(row.name(), () -> {
            Iam iam = new Iam();
            row.setup().accept(iam);
            Snapshot snapshot = iam.snapshot(row.options());
            PolicyEvaluator evaluator = new PolicyEvaluator(snapshot);
            Identity caller = snapshot.identity(row.caller()).orElseThrow();
            Decision d = "sts:AssumeRole".equals(row.action())
                ? evaluator.assumeRole(caller, snapshot.identity(row.resource()).orElseThrow())
                : evaluator.evaluate(caller, row.action(), row.resource());
            assertEquals(row.expected(), d.verdict(), row.name() + ": " + d);
            if (row.condition() != null) {
                assertTrue(d.conditions().contains(row.condition()), row.name() + ": conditions " + d.conditions());
            }
            if (d.verdict() == Verdict.EXPLICIT_DENY) {
                assertTrue(d.evidence().stream().anyMatch(e -> "Deny".equals(e.effect())), "a deny cites its statement: " + d);
            }
        }));
    }
}
