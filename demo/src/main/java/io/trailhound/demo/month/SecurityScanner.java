package io.trailhound.demo.month;

import java.time.Instant;
import java.util.List;

/**
 * The security account's daily posture scan: its scanner task role (on Fargate, so from an address of AWS's pool) assumes
 * the SecurityAudit role in every account of the organization and lists and describes everything in the main region.
 */
final class SecurityScanner implements Activity {

    static final String SCANNER_ROLE = "posture-scanner";
    static final String AUDIT_ROLE = "SecurityAudit";

    private static final List<String[]> CALLS = List.of(new String[] {"iam", "ListUsers"}, new String[] {"iam", "ListRoles"},
        new String[] {"iam", "ListPolicies"}, new String[] {"iam", "GetAccountAuthorizationDetails"},
        new String[] {"iam", "GetAccountPasswordPolicy"}, new String[] {"iam", "ListAccessKeys"},
        new String[] {"iam", "GetAccessKeyLastUsed"}, new String[] {"iam", "ListMFADevices"},
        new String[] {"iam", "GenerateCredentialReport"}, new String[] {"iam", "GetCredentialReport"},
        new String[] {"ec2", "DescribeInstances"}, new String[] {"ec2", "DescribeSecurityGroups"},
        new String[] {"ec2", "DescribeVolumes"}, new String[] {"ec2", "DescribeSnapshots"}, new String[] {"ec2", "DescribeImages"},
        new String[] {"ec2", "DescribeFlowLogs"}, new String[] {"ec2", "DescribeVpcEndpoints"},
        new String[] {"s3", "ListBuckets"}, new String[] {"s3", "GetBucketPolicy"}, new String[] {"s3", "GetBucketAcl"},
        new String[] {"s3", "GetBucketEncryption"}, new String[] {"s3", "GetBucketPublicAccessBlock"},
        new String[] {"s3", "GetBucketLogging"}, new String[] {"s3", "GetBucketVersioning"},
        new String[] {"kms", "ListKeys"}, new String[] {"kms", "GetKeyRotationStatus"}, new String[] {"kms", "GetKeyPolicy"},
        new String[] {"cloudtrail", "DescribeTrails"}, new String[] {"cloudtrail", "GetTrailStatus"},
        new String[] {"cloudtrail", "GetEventSelectors"}, new String[] {"config", "DescribeConfigurationRecorders"},
        new String[] {"guardduty", "ListDetectors"}, new String[] {"lambda", "ListFunctions20150331"},
        new String[] {"lambda", "GetPolicy20150331v2"}, new String[] {"rds", "DescribeDBInstances"},
        new String[] {"secretsmanager", "ListSecrets"}, new String[] {"sns", "ListTopics"}, new String[] {"sqs", "ListQueues"},
        new String[] {"logs", "DescribeLogGroups"}, new String[] {"ecr", "DescribeRepositories"},
        new String[] {"elasticloadbalancing", "DescribeLoadBalancers"}, new String[] {"acm", "ListCertificates"});

    private final Draw draw;

    SecurityScanner(long seed) {
        this.draw = new Draw(seed, "scanner");
    }

    @Override
    public void day(Day day) {
        Instant t = day.at(2 * 60 + draw.nextInt(10));
        String ip = Addresses.ec2(draw);
        Who task = Sts.session(draw, Org.SECURITY, SCANNER_ROLE, draw.hex(32), t.minusSeconds(30));
        for (String account : Org.ACCOUNTS) {
            Who audit = Sts.session(draw, account, AUDIT_ROLE, "posture-scan", t);
            Sts.assumeRole(day, draw, task, t, ip, Agents.SCANNER, audit, null);
            for (String[] call : CALLS) {
                // per-resource calls repeat for each resource of their kind
                int repeats = call[1].startsWith("Get") || call[1].startsWith("ListAccessKeys") ? draw.between(3, 8) : 1;
                for (int i = 0; i < repeats; i++) {
                    t = t.plusMillis(draw.between(150, 1200));
                    day.add(new Call(audit, t, call[0] + ".amazonaws.com", call[1]).from(ip, Agents.SCANNER), draw);
                }
            }
            t = t.plusSeconds(5);
        }
    }
}
