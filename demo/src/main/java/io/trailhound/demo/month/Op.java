package io.trailhound.demo.month;

import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An API action people call, with the CLI command that makes it and the request parameters CloudTrail records for it.
 *
 * @param source  event source
 * @param name    event name (CloudTrail's, e.g. Lambda's dated names)
 * @param command the AWS CLI command, as CLI 2.x names it in its user agent
 * @param write   whether it changes something (developers write only in the dev account)
 * @param request request parameters for a call in an account and region
 */
record Op(String source, String name, String command, boolean write, BiFunction<Draw, String, JsonNode> request) {

    /** What developers read, anywhere they may. */
    static final List<Op> READS = List.of(
        new Op("sts.amazonaws.com", "GetCallerIdentity", "sts.get-caller-identity", false, (d, r) -> null),
        new Op("ec2.amazonaws.com", "DescribeInstances", "ec2.describe-instances", false,
            (d, r) -> Json.of("instancesSet", Json.of(), "filterSet", Json.of())),
        new Op("ec2.amazonaws.com", "DescribeSecurityGroups", "ec2.describe-security-groups", false,
            (d, r) -> Json.of("securityGroupSet", Json.of(), "securityGroupIdSet", Json.of(), "filterSet", Json.of())),
        new Op("ec2.amazonaws.com", "DescribeVpcs", "ec2.describe-vpcs", false, (d, r) -> Json.of("filterSet", Json.of())),
        new Op("s3.amazonaws.com", "ListBuckets", "s3.ls", false, (d, r) -> Json.of("Host", "s3.amazonaws.com")),
        new Op("s3.amazonaws.com", "GetBucketLocation", "s3.ls", false,
            (d, r) -> Json.of("bucketName", "northwind-dev-scratch", "Host", "northwind-dev-scratch.s3.amazonaws.com",
                "location", "")),
        new Op("lambda.amazonaws.com", "ListFunctions20150331", "lambda.list-functions", false, (d, r) -> null),
        new Op("lambda.amazonaws.com", "GetFunction20150331v2", "lambda.get-function", false,
            (d, r) -> Json.of("functionName", d.pick(Lambdas.NAMES))),
        new Op("logs.amazonaws.com", "DescribeLogGroups", "logs.describe-log-groups", false, (d, r) -> null),
        new Op("logs.amazonaws.com", "FilterLogEvents", "logs.filter-log-events", false,
            (d, r) -> Json.of("logGroupName", "/aws/lambda/" + d.pick(Lambdas.NAMES), "startTime", 1_759_276_800_000L)),
        new Op("ecs.amazonaws.com", "ListClusters", "ecs.list-clusters", false, (d, r) -> null),
        new Op("ecs.amazonaws.com", "DescribeServices", "ecs.describe-services", false,
            (d, r) -> Json.of("cluster", "platform", "services", Json.array("api"))),
        new Op("dynamodb.amazonaws.com", "DescribeTable", "dynamodb.describe-table", false,
            (d, r) -> Json.of("tableName", d.pick("orders", "sessions", "inventory"))),
        new Op("dynamodb.amazonaws.com", "ListTables", "dynamodb.list-tables", false, (d, r) -> null),
        new Op("cloudformation.amazonaws.com", "DescribeStacks", "cloudformation.describe-stacks", false, (d, r) -> null),
        new Op("ecr.amazonaws.com", "DescribeRepositories", "ecr.describe-repositories", false, (d, r) -> null),
        new Op("ssm.amazonaws.com", "GetParameter", "ssm.get-parameter", false,
            (d, r) -> Json.of("name", "/app/" + d.pick("feature-flags", "api-url", "log-level"), "withDecryption", false)),
        new Op("iam.amazonaws.com", "GetUser", "iam.get-user", false, (d, r) -> null),
        new Op("iam.amazonaws.com", "ListRoles", "iam.list-roles", false, (d, r) -> null),
        new Op("kms.amazonaws.com", "ListAliases", "kms.list-aliases", false, (d, r) -> null),
        new Op("secretsmanager.amazonaws.com", "ListSecrets", "secretsmanager.list-secrets", false, (d, r) -> null),
        new Op("monitoring.amazonaws.com", "DescribeAlarms", "cloudwatch.describe-alarms", false, (d, r) -> null));

    /** What developers change in the dev account. */
    static final List<Op> WRITES = List.of(
        new Op("ec2.amazonaws.com", "CreateTags", "ec2.create-tags", true,
            (d, r) -> Json.of("resourcesSet", Json.items(Json.of("resourceId", "i-0" + d.hex(16))),
                "tagSet", Json.items(Json.of("key", "owner", "value", "dev")))),
        new Op("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda.update-function-code", true,
            (d, r) -> Json.of("functionName", d.pick(Lambdas.NAMES), "publish", false, "dryRun", false)),
        new Op("ssm.amazonaws.com", "PutParameter", "ssm.put-parameter", true,
            (d, r) -> Json.of("name", "/dev/" + d.pick("feature-flags", "api-url"), "type", "String", "overwrite", true)),
        new Op("logs.amazonaws.com", "CreateLogGroup", "logs.create-log-group", true,
            (d, r) -> Json.of("logGroupName", "/dev/scratch-" + d.hex(6))),
        new Op("dynamodb.amazonaws.com", "UpdateTable", "dynamodb.update-table", true,
            (d, r) -> Json.of("tableName", "sessions", "billingMode", "PAY_PER_REQUEST")),
        new Op("s3.amazonaws.com", "PutBucketTagging", "s3api.put-bucket-tagging", true,
            (d, r) -> Json.of("bucketName", "northwind-dev-scratch", "Host", "northwind-dev-scratch.s3." + r + ".amazonaws.com",
                "tagging", "")),
        new Op("cloudformation.amazonaws.com", "UpdateStack", "cloudformation.update-stack", true,
            (d, r) -> Json.of("stackName", "dev-" + d.pick("api", "worker", "queue"),
                "templateURL", "https://northwind-dev-artifacts.s3.amazonaws.com/templates/stack.yaml")));

    /** The service's short name for SDK user agents ({@code api/ec2}). */
    String api() {
        return source.substring(0, source.indexOf('.'));
    }
}
