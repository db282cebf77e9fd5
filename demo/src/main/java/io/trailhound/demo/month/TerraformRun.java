package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code terraform apply} in production from a GitHub Actions runner: the refresh reads every managed resource, then
 * the apply makes the run's change. Changes are the everyday kind: security-group rules, an application role with a
 * scoped policy, launch template versions, ECS services, and once the bucket policy that shares the exports bucket with
 * shared-services (another account of the organization).
 */
final class TerraformRun {

    static final int BUCKET_SHARE_DAY = 7;
    static final String SHARED_BUCKET = "northwind-prod-exports";

    /** What the refresh reads: service and action. */
    private static final List<String[]> REFRESH = List.of(
        new String[] {"ec2", "DescribeVpcs"}, new String[] {"ec2", "DescribeSubnets"},
        new String[] {"ec2", "DescribeSecurityGroups"}, new String[] {"ec2", "DescribeSecurityGroupRules"},
        new String[] {"ec2", "DescribeLaunchTemplates"}, new String[] {"ec2", "DescribeLaunchTemplateVersions"},
        new String[] {"autoscaling", "DescribeAutoScalingGroups"}, new String[] {"elasticloadbalancing", "DescribeTargetGroups"},
        new String[] {"elasticloadbalancing", "DescribeLoadBalancers"}, new String[] {"iam", "GetRole"},
        new String[] {"iam", "ListRolePolicies"}, new String[] {"iam", "ListAttachedRolePolicies"},
        new String[] {"iam", "GetRolePolicy"}, new String[] {"iam", "GetInstanceProfile"},
        new String[] {"s3", "GetBucketPolicy"}, new String[] {"s3", "GetBucketVersioning"}, new String[] {"s3", "GetBucketAcl"},
        new String[] {"ecs", "DescribeServices"}, new String[] {"ecs", "DescribeTaskDefinition"},
        new String[] {"kms", "DescribeKey"}, new String[] {"secretsmanager", "DescribeSecret"},
        new String[] {"logs", "DescribeLogGroups"}, new String[] {"sts", "GetCallerIdentity"});

    private final Draw draw;

    TerraformRun(Draw draw) {
        this.draw = draw;
    }

    /** Refreshes, then applies the run's change; {@code shareBucket} makes it the run that shares the exports bucket. */
    void run(Day day, Who session, String repo, String runnerIp, Instant start, boolean shareBucket) {
        Instant t = start;
        for (String[] read : REFRESH) {
            for (int i = draw.between(1, 3); i > 0; i--) {
                t = t.plusMillis(draw.between(100, 900));
                day.add(tf(session, t, runnerIp, read[0], read[1]), draw);
            }
        }
        t = t.plusSeconds(20);
        if (shareBucket) {
            shareBucket(day, session, t, runnerIp);
        } else {
            change(day, session, t, runnerIp, repo);
        }
    }

    private void change(Day day, Who session, Instant t, String ip, String repo) {
        switch (draw.nextInt(6)) {
            case 0 -> securityGroupRule(day, session, t, ip);
            case 1 -> applicationRole(day, session, t, ip, repo);
            case 2 -> {
                day.add(tf(session, t, ip, "ec2", "CreateLaunchTemplateVersion").request(Json.of("launchTemplateId",
                    "lt-0d4e5f60718293a4b", "sourceVersion", "7", "launchTemplateData", Json.of("imageId", "ami-0" + draw.hex(16)))), draw);
                day.add(tf(session, t.plusSeconds(2), ip, "autoscaling", "UpdateAutoScalingGroup").request(Json.of(
                    "autoScalingGroupName", WebTier.GROUP, "launchTemplate", Json.of("launchTemplateId", "lt-0d4e5f60718293a4b",
                        "version", "$Latest"))), draw);
            }
            case 3 -> {
                day.add(tf(session, t, ip, "ecs", "RegisterTaskDefinition").request(Json.of("family", repo, "networkMode", "awsvpc",
                    "taskRoleArn", Org.roleArn(Org.PROD, repo + "-task"))), draw);
                day.add(tf(session, t.plusSeconds(2), ip, "ecs", "UpdateService").request(Json.of("cluster", "platform",
                    "service", repo, "taskDefinition", repo)), draw);
            }
            default -> {
                // most applies change nothing: the plan was empty
            }
        }
    }

    private void securityGroupRule(Day day, Who session, Instant t, String ip) {
        ObjectNode permissions = Json.items(Json.of("ipProtocol", "tcp", "fromPort", 8443, "toPort", 8443, "groups", Json.of(),
            "ipRanges", Json.items(Json.of("cidrIp", "10.40.0.0/16", "description", "internal health checks")),
            "ipv6Ranges", Json.of(), "prefixListIds", Json.of()));
        String name = draw.chance(0.5) ? "AuthorizeSecurityGroupIngress" : "RevokeSecurityGroupIngress";
        day.add(tf(session, t, ip, "ec2", name).request(Json.of("groupId", "sg-0e5f60718293a4b5c", "ipPermissions", permissions))
            .response(Json.of("requestId", draw.uuid(), "_return", true)), draw);
    }

    /** A role for a service with a policy scoped to its own resources, as a deploy of a new component creates. */
    private void applicationRole(Day day, Who session, Instant t, String ip, String repo) {
        String role = repo + "-task-" + draw.hex(4);
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
            + "\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        day.add(tf(session, t, ip, "iam", "CreateRole").request(Json.of("roleName", role, "assumeRolePolicyDocument", trust,
                "maxSessionDuration", 3600, "tags", Json.array(Json.of("key", "repo", "value", repo))))
            .response(Json.of("role", Json.of("path", "/", "roleName", role, "roleId", draw.key("AROA"),
                "arn", Org.roleArn(Org.PROD, role), "createDate", Sts.humanTime(t), "assumeRolePolicyDocument",
                trust.replace("\"", "%22")))), draw);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\","
            + "\"dynamodb:PutItem\",\"dynamodb:Query\"],\"Resource\":\"arn:aws:dynamodb:us-east-1:" + Org.PROD + ":table/" + repo
            + "\"}]}";
        day.add(tf(session, t.plusSeconds(1), ip, "iam", "PutRolePolicy").request(Json.of("roleName", role, "policyName",
            repo + "-data", "policyDocument", policy)), draw);
        day.add(tf(session, t.plusSeconds(2), ip, "iam", "AttachRolePolicy").request(Json.of("roleName", role, "policyArn",
            "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess")), draw);
    }

    private void shareBucket(Day day, Who session, Instant t, String ip) {
        ObjectNode statement = Json.of("Sid", "SharedServicesRead", "Effect", "Allow",
            "Principal", Json.of("AWS", Org.roleArn(Org.SHARED, "data-sync-role")),
            "Action", Json.array("s3:GetObject", "s3:ListBucket"),
            "Resource", Json.array("arn:aws:s3:::" + SHARED_BUCKET, "arn:aws:s3:::" + SHARED_BUCKET + "/*"));
        day.add(tf(session, t, ip, "s3", "PutBucketPolicy").request(Json.of("bucketPolicy", Json.of("Version", "2012-10-17",
                "Statement", Json.array(statement)), "bucketName", SHARED_BUCKET, "Host", SHARED_BUCKET + ".s3.us-east-1.amazonaws.com",
                "policy", ""))
            .additional(Json.of("SignatureVersion", "SigV4", "CipherSuite", "TLS_AES_128_GCM_SHA256", "bytesTransferredIn", 412,
                "AuthenticationMethod", "AuthHeader", "x-amz-id-2", draw.hex(40), "bytesTransferredOut", 0))
            .resource("AWS::S3::Bucket", "arn:aws:s3:::" + SHARED_BUCKET, Org.PROD), draw);
    }

    private Call tf(Who session, Instant t, String ip, String service, String name) {
        return new Call(session, t, service + ".amazonaws.com", name).from(ip, Agents.terraform(service));
    }
}
