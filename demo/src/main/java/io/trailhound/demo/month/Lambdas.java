package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

/**
 * Five Lambda functions. Each new execution environment gets its execution role's credentials from lambda.amazonaws.com
 * (session name = function name) and, while it initialises, reads its secret or parameter and decrypts its environment;
 * scheduled functions also do their job (an Athena report, an ECR clean-up). Functions outside a VPC call from an address
 * of AWS's pool that changes with the environment; the one in the VPC leaves through its NAT gateway's Elastic IP.
 */
final class Lambdas implements Activity {

    static final List<String> NAMES = List.of("order-processor", "image-resizer", "nightly-report", "ecr-cleanup",
        "slack-notifier");

    /**
     * A function and where it runs.
     *
     * @param name       function name
     * @param account    account of the function
     * @param runtime    runtime as the SDK's exec-env names it
     * @param coldStarts new execution environments per day
     * @param natIp      the NAT gateway's address when the function runs in a VPC, else {@code null}
     */
    private record Function(String name, String account, String runtime, int coldStarts, String natIp) {
    }

    private final Draw draw;
    private final List<Function> functions;

    Lambdas(long seed) {
        this.draw = new Draw(seed, "lambdas");
        this.functions = List.of(new Function("order-processor", Org.PROD, "python3.12", 30, Addresses.ec2(draw)),
            new Function("image-resizer", Org.PROD, "nodejs20.x", 14, null),
            new Function("nightly-report", Org.PROD, "python3.12", 1, null),
            new Function("ecr-cleanup", Org.SHARED, "python3.12", 1, null),
            new Function("slack-notifier", Org.SHARED, "nodejs20.x", 8, null));
    }

    @Override
    public void day(Day day) {
        for (Function f : functions) {
            for (int i = 0; i < f.coldStarts(); i++) {
                double minute = f.coldStarts() == 1 ? 6 * 60 : draw.nextInt(24 * 60);
                coldStart(day, f, day.at(minute));
            }
        }
    }

    private void coldStart(Day day, Function f, Instant time) {
        String role = f.name() + "-role";
        Who session = Sts.session(draw, f.account(), role, f.name(), time);
        day.add(new Call(Who.service("lambda.amazonaws.com"), time, "sts.amazonaws.com", "AssumeRole").recipient(f.account())
            .request(Json.of("roleArn", Org.roleArn(f.account(), role), "roleSessionName", f.name()))
            .response(Sts.credentials(draw, session, time))
            .resource("AWS::IAM::Role", Org.roleArn(f.account(), role), f.account()), draw);
        String ip = f.natIp() != null ? f.natIp() : Addresses.ec2(draw);
        Instant t = time.plusSeconds(1);
        day.add(new Call(session, t, "kms.amazonaws.com", "Decrypt").from(ip, Agents.lambda(f.runtime(), "kms"))
            .request(Json.of("encryptionContext", Json.of("LambdaFunctionName", f.name()), "encryptionAlgorithm",
                "SYMMETRIC_DEFAULT")), draw);
        day.add(new Call(session, t.plusSeconds(1), "secretsmanager.amazonaws.com", "GetSecretValue")
            .from(ip, Agents.lambda(f.runtime(), "secretsmanager")).request(Json.of("secretId", f.name() + "/config")), draw);
        switch (f.name()) {
            case "nightly-report" -> report(day, session, ip, f, t.plusSeconds(3));
            case "ecr-cleanup" -> cleanup(day, session, ip, f, t.plusSeconds(3));
            default -> day.add(new Call(session, t.plusSeconds(2), "ssm.amazonaws.com", "GetParameter")
                .from(ip, Agents.lambda(f.runtime(), "ssm")).request(Json.of("name", "/" + f.name() + "/settings",
                    "withDecryption", true)), draw);
        }
    }

    private void report(Day day, Who session, String ip, Function f, Instant t) {
        String agent = Agents.lambda(f.runtime(), "athena");
        String query = draw.uuid();
        day.add(new Call(session, t, "athena.amazonaws.com", "StartQueryExecution").from(ip, agent)
            .request(Json.of("queryString", "SELECT day, count(*) FROM orders GROUP BY day", "workGroup", "reports"))
            .response(Json.of("queryExecutionId", query)), draw);
        day.add(new Call(session, t.plusSeconds(1), "glue.amazonaws.com", "GetTable")
            .from("athena.amazonaws.com", "athena.amazonaws.com")
            .request(Json.of("catalogId", f.account(), "databaseName", "sales", "name", "orders")), draw);
        for (int i = 1; i <= 12; i++) {
            day.add(new Call(session, t.plusSeconds(2L * i), "athena.amazonaws.com", "GetQueryExecution").from(ip, agent)
                .request(Json.of("queryExecutionId", query)), draw);
        }
        day.add(new Call(session, t.plusSeconds(30), "athena.amazonaws.com", "GetQueryResults").from(ip, agent)
            .request(Json.of("queryExecutionId", query)), draw);
    }

    private void cleanup(Day day, Who session, String ip, Function f, Instant t) {
        String agent = Agents.lambda(f.runtime(), "ecr");
        day.add(new Call(session, t, "ecr.amazonaws.com", "DescribeRepositories").from(ip, agent), draw);
        for (String repo : GitHubDeploys.REPOSITORIES) {
            day.add(new Call(session, t.plusSeconds(2), "ecr.amazonaws.com", "DescribeImages").from(ip, agent)
                .request(Json.of("repositoryName", repo, "filter", Json.of("tagStatus", "UNTAGGED"))), draw);
            day.add(new Call(session, t.plusSeconds(4), "ecr.amazonaws.com", "BatchDeleteImage").from(ip, agent)
                .request(Json.of("repositoryName", repo, "imageIds", Json.array(Json.of("imageDigest", "sha256:" + draw.hex(64)))))
                .response(Json.of("imageIds", Json.array(), "failures", Json.array())), draw);
        }
    }
}
