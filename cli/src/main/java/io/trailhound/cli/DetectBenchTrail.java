package io.trailhound.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import io.trailhound.keying.KeyFields;
import io.trailhound.keying.PrincipalKeys;

/**
 * Synthetic CloudTrail records for {@code trailhound bench detect}: many principals (IAM users and assumed roles in a few
 * accounts), each with its own network, client, region and usual role, doing a realistic mix of read-only calls, some writes,
 * AssumeRole into its usual role, console sign-ins, secret reads and calls made by AWS services on its behalf; plus, on
 * demand, records that must raise an alert (trail stopped, access key for another user, first-time cross-account AssumeRole,
 * call from a new network). Deterministic for a seed.
 */
final class DetectBenchTrail {

    /**
     * One generated CloudTrail record: its id, its key on the raw topic (the durable principal, as the ingest connector's
     * PrincipalKey transform sets it), JSON and event time.
     */
    record Event(String eventId, String key, byte[] json, Instant time) {

        Event(String eventId, byte[] json, Instant time) {
            this(eventId, keyOf(json), json, time);
        }

        private static String keyOf(byte[] json) {
            try {
                return KEYS.recordKey(KeyFields.read(json, 0, json.length));
            } catch (IOException e) {
                throw new UncheckedIOException("a generated record is not JSON", e);
            }
        }
    }

    /** The keying rules with the stream processor's default shared-role patterns. */
    private static final PrincipalKeys KEYS = PrincipalKeys.of(List.of("AWSReservedSSO_.*"));

    private static final String[] ACCOUNTS = {"111122223333", "222233334444", "333344445555", "444455556666", "555566667777"};
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"};
    private static final String[] AGENTS = {
        "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances",
        "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.79 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython "
            + "cfg/retry-mode#legacy",
        "aws-sdk-java/2.25.16 Linux/6.1.79 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. "
            + "exec-env/AWS_ECS_FARGATE",
        "aws-sdk-go-v2/1.25.3 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.151.1",
        "Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 aws-sdk-go-v2/1.25.3"};
    /** Read-only calls: service, event name, request parameters. */
    private static final String[][] READS = {
        {"ec2", "DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{\"items\":[{\"name\":\"tag:env\",\"valueSet\":{\"items\":"
            + "[{\"value\":\"prod\"}]}}]}}"},
        {"ec2", "DescribeVolumes", "{\"volumeSet\":{},\"filterSet\":{},\"maxResults\":500}"},
        {"ec2", "DescribeSubnets", "{\"subnetSet\":{},\"filterSet\":{\"items\":[{\"name\":\"vpc-id\",\"valueSet\":{\"items\":"
            + "[{\"value\":\"vpc-0a1b2c3d4e5f60718\"}]}}]}}"},
        {"s3", "GetObject", "{\"bucketName\":\"data-%s\",\"Host\":\"data-%s.s3.amazonaws.com\","
            + "\"key\":\"exports/2025/part-00017.parquet\"}"},
        {"s3", "ListObjects", "{\"bucketName\":\"data-%s\",\"Host\":\"data-%s.s3.amazonaws.com\",\"prefix\":\"exports/\"}"},
        {"iam", "GetRole", "{\"roleName\":\"app-%s\"}"},
        {"iam", "ListAttachedRolePolicies", "{\"roleName\":\"app-%s\"}"},
        {"monitoring", "GetMetricData", "{\"startTime\":\"2025-03-01T00:00:00Z\",\"endTime\":\"2025-03-01T01:00:00Z\"}"},
        {"logs", "DescribeLogGroups", "{\"logGroupNamePrefix\":\"/aws/lambda/\"}"},
        {"dynamodb", "DescribeTable", "{\"tableName\":\"orders-%s\"}"},
        {"kms", "Decrypt", "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}"},
        {"lambda", "ListFunctions20150331", "{\"maxItems\":50}"}};
    /** Writes that raise nothing: service, event name, request parameters. */
    private static final String[][] WRITES = {
        {"s3", "PutObject", "{\"bucketName\":\"data-%s\",\"Host\":\"data-%s.s3.amazonaws.com\","
            + "\"key\":\"exports/2025/part-00042.json.gz\"}"},
        {"ec2", "CreateTags", "{\"resourcesSet\":{\"items\":[{\"resourceId\":\"i-0abc%s\"}]},\"tagSet\":{\"items\":[{\"key\":\"owner\","
            + "\"value\":\"team-%s\"}]}}"},
        {"logs", "PutRetentionPolicy", "{\"logGroupName\":\"/aws/lambda/app-%s\",\"retentionInDays\":30}"},
        {"sqs", "SendMessage", "{\"queueUrl\":\"https://sqs.us-east-1.amazonaws.com/111122223333/jobs-%s\"}"}};

    /** A durable identity: an IAM user or a role assumed by workloads. */
    private record Principal(int index, String account, boolean user, String name, String network, String agent, String region,
                             String usualRole) {
        String arn() {
            return "arn:aws:iam::" + account + ":" + (user ? "user/" : "role/") + name;
        }
    }

    private final List<Principal> principals = new ArrayList<>();
    private final SplittableRandom random;
    private long sequence;
    private long suspiciousCount;

    DetectBenchTrail(int principalCount, long seed) {
        if (principalCount < 1) {
            throw new IllegalArgumentException("need at least one principal, got " + principalCount);
        }
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < principalCount; i++) {
            String account = ACCOUNTS[i % ACCOUNTS.length];
            boolean user = i % 5 < 3;
            String network = (52 + i % 40) + "." + (i / 250 % 250) + "." + (i % 250);
            principals.add(new Principal(i, account, user, (user ? "user-" : "app-") + i, network, AGENTS[i % AGENTS.length],
                REGIONS[i % 7 == 0 ? 1 : i % REGIONS.length], "arn:aws:iam::" + account + ":role/deploy-" + (i % 20)));
        }
    }

    /** Number of durable principals (users and roles) the records come from. */
    int principals() {
        return principals.size();
    }

    /** The IAM ARN of every durable principal (user or role) the records come from, in index order. */
    List<String> principalArns() {
        return principals.stream().map(Principal::arn).toList();
    }

    /** {@code count} ordinary records with event times spread evenly over {@code span} ending at {@code end}. */
    List<Event> history(int count, Instant end, Duration span) {
        List<Event> events = new ArrayList<>(count);
        long stepMillis = Math.max(1, span.toMillis() / Math.max(1, count));
        Instant start = end.minus(span);
        for (int i = 0; i < count; i++) {
            events.add(ordinary(start.plusMillis(i * stepMillis)));
        }
        return events;
    }

    /** One ordinary record at {@code time} by a random principal. */
    Event ordinary(Instant time) {
        Principal p = principals.get(random.nextInt(principals.size()));
        int dice = random.nextInt(1000);
        if (dice < 800) {
            String[] call = READS[random.nextInt(READS.length)];
            return call(p, time, call[0], call[1], call[2], null, p.network() + "." + (10 + random.nextInt(4)));
        } else if (dice < 900) {
            String[] call = WRITES[random.nextInt(WRITES.length)];
            return call(p, time, call[0], call[1], call[2], null, p.network() + "." + (10 + random.nextInt(4)));
        } else if (dice < 950) {
            return assumeRole(p, time, p.usualRole(), p.network() + ".11");
        } else if (dice < 960 && p.user()) {
            return call(p, time, "signin", "ConsoleLogin", "null", "{\"ConsoleLogin\":\"Success\"}", p.network() + ".12");
        } else if (dice < 970) {
            return call(p, time, "secretsmanager", "GetSecretValue", "{\"secretId\":\"app-%s/db\"}", null, p.network() + ".10");
        }
        return serviceCall(p, time);
    }

    /**
     * A record that raises at least one alert, cycling through: trail stopped, access key created for another user (users) or
     * trail deleted (roles), first-time AssumeRole into a role in another account, a call from a network new to the principal.
     */
    Event suspicious(Instant time) {
        Principal p = principals.get(random.nextInt(principals.size()));
        long n = suspiciousCount++;
        String ip = p.network() + ".10";
        return switch ((int) (n % 4)) {
            case 0 -> call(p, time, "cloudtrail", "StopLogging", "{\"name\":\"arn:aws:cloudtrail:us-east-1:" + p.account()
                + ":trail/org-trail\"}", null, ip);
            case 1 -> p.user()
                ? call(p, time, "iam", "CreateAccessKey", "{\"userName\":\"victim-" + n + "\"}", "{\"accessKey\":{\"accessKeyId\":\""
                    + key("AKIA", n + 900_000_000L) + "\",\"status\":\"Active\",\"userName\":\"victim-" + n + "\"}}", ip)
                : call(p, time, "cloudtrail", "DeleteTrail", "{\"name\":\"audit-" + n + "\"}", null, ip);
            case 2 -> assumeRole(p, time, "arn:aws:iam::" + (900_000_000_000L + n) + ":role/external-" + n, ip);
            default -> call(p, time, "ec2", "DescribeInstances", READS[0][2], null,
                (150 + n % 50) + "." + (n / 50 % 250) + "." + (n / 12_500 % 250) + ".7");
        };
    }

    private Event assumeRole(Principal p, Instant time, String roleArn, String ip) {
        String session = p.name() + "-" + time.getEpochSecond();
        String response = "{\"credentials\":{\"accessKeyId\":\"" + key("ASIA", sequence + 500_000_000L) + "\",\"expiration\":\""
            + time.plusSeconds(3600) + "\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROA" + Math.abs(roleArn.hashCode()) + ":"
            + session + "\",\"arn\":\"" + roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/" + session
            + "\"}}";
        return call(p, time, "sts", "AssumeRole", "{\"roleArn\":\"" + roleArn + "\",\"roleSessionName\":\"" + session
            + "\",\"durationSeconds\":3600}", response, ip);
    }

    private Event call(Principal p, Instant time, String service, String eventName, String request, String response, String ip) {
        String id = nextId();
        String identity = p.user() ? userIdentity(p) : roleIdentity(p, time);
        String host = service + "." + p.region() + ".amazonaws.com";
        boolean readOnly = eventName.startsWith("Describe") || eventName.startsWith("Get") || eventName.startsWith("List");
        String json = "{\"eventVersion\":\"1.09\",\"userIdentity\":" + identity + ",\"eventTime\":\"" + time + "\",\"eventSource\":\""
            + service + ".amazonaws.com\",\"eventName\":\"" + eventName + "\",\"awsRegion\":\"" + p.region()
            + "\",\"sourceIPAddress\":\"" + ip + "\",\"userAgent\":\"" + p.agent() + "\",\"requestParameters\":"
            + request.replace("%s", Integer.toString(p.index())) + ",\"responseElements\":" + (response == null ? "null" : response)
            + ",\"requestID\":\"" + UUID.nameUUIDFromBytes(("req-" + id).getBytes(StandardCharsets.UTF_8)) + "\",\"eventID\":\"" + id
            + "\",\"readOnly\":" + readOnly + ",\"eventType\":\"" + ("ConsoleLogin".equals(eventName) ? "AwsConsoleSignIn" : "AwsApiCall")
            + "\",\"managementEvent\":" + !"s3".equals(service) + ",\"recipientAccountId\":\"" + p.account()
            + "\",\"eventCategory\":\"" + ("s3".equals(service) ? "Data" : "Management") + "\",\"tlsDetails\":{\"tlsVersion\":"
            + "\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"" + host + "\"}}";
        return new Event(id, json.getBytes(StandardCharsets.UTF_8), time);
    }

    private Event serviceCall(Principal p, Instant time) {
        String id = nextId();
        String json = "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"s3.amazonaws.com\"},"
            + "\"eventTime\":\"" + time + "\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"Decrypt\",\"awsRegion\":\""
            + p.region() + "\",\"sourceIPAddress\":\"s3.amazonaws.com\",\"userAgent\":\"s3.amazonaws.com\",\"requestParameters\":"
            + "{\"encryptionContext\":{\"aws:s3:arn\":\"arn:aws:s3:::data-" + p.index() + "/exports/part-00017.parquet\"},"
            + "\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"},\"responseElements\":null,\"requestID\":\""
            + UUID.nameUUIDFromBytes(("req-" + id).getBytes(StandardCharsets.UTF_8)) + "\",\"eventID\":\"" + id + "\",\"readOnly\":true,"
            + "\"resources\":[{\"accountId\":\"" + p.account() + "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:" + p.region()
            + ":" + p.account() + ":key/0f3a2b1c-4d5e-6f70-8192-a3b4c5d6e7f8\"}],\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
            + "\"recipientAccountId\":\"" + p.account() + "\",\"sharedEventID\":\"" + UUID.nameUUIDFromBytes(id.getBytes(
                StandardCharsets.UTF_8)) + "\",\"eventCategory\":\"Management\"}";
        return new Event(id, json.getBytes(StandardCharsets.UTF_8), time);
    }

    private static String userIdentity(Principal p) {
        return "{\"type\":\"IAMUser\",\"principalId\":\"AIDA" + key("", p.index()) + "\",\"arn\":\"" + p.arn() + "\",\"accountId\":\""
            + p.account() + "\",\"accessKeyId\":\"" + key("AKIA", p.index()) + "\",\"userName\":\"" + p.name() + "\"}";
    }

    private static String roleIdentity(Principal p, Instant time) {
        long day = time.getEpochSecond() / 86_400;
        String session = p.name() + "-task-" + Long.toHexString(p.index() * 7919L + day % 3);
        return "{\"type\":\"AssumedRole\",\"principalId\":\"AROA" + key("", p.index()) + ":" + session + "\",\"arn\":\"arn:aws:sts::"
            + p.account() + ":assumed-role/" + p.name() + "/" + session + "\",\"accountId\":\"" + p.account() + "\",\"accessKeyId\":\""
            + key("ASIA", p.index() * 1000L + day % 1000) + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
            + "\"principalId\":\"AROA" + key("", p.index()) + "\",\"arn\":\"" + p.arn() + "\",\"accountId\":\"" + p.account()
            + "\",\"userName\":\"" + p.name() + "\"},\"attributes\":{\"creationDate\":\"" + Instant.ofEpochSecond(day * 86_400)
            + "\",\"mfaAuthenticated\":\"false\"}}}";
    }

    private static String key(String prefix, long n) {
        return prefix + String.format("%016X", n);
    }

    private String nextId() {
        return UUID.nameUUIDFromBytes(("detect-bench-" + sequence++).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
