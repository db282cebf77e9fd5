package io.trailhound.demo.month;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What one web-tier instance does with its instance-profile credentials: EC2 delivers them (an AssumeRole by
 * ec2.amazonaws.com about every hour, session name = instance id), then at boot the instance fetches its bundle from S3
 * (through the VPC's S3 gateway endpoint, so from its private address), reads its database secret (Secrets Manager asks
 * KMS on its behalf) and sets up its log stream; afterwards the SSM agent reports every five minutes and the application
 * decrypts its data key and rereads its configuration every hour. Calls that do not go through the endpoint come from the
 * instance's public address.
 */
final class InstanceCalls {

    private static final String S3_ENDPOINT = "vpce-0a7b8c9d0e1f20314";
    private static final String ARTIFACTS = "northwind-prod-artifacts";
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:" + Org.PROD + ":key/4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:" + Org.PROD + ":secret:prod/web/db-Ab12Cd";
    private static final long CREDENTIAL_PERIOD = 3600;
    private static final long FIRST_CREDENTIALS = 60;

    private final long seed;
    private final Draw draw;

    InstanceCalls(long seed) {
        this.seed = seed;
        this.draw = new Draw(seed, "instance-calls");
    }

    void day(Day day, WebInstance instance) {
        Instant dayEnd = day.midnight().plus(Duration.ofDays(1));
        if (instance.terminated() != null && instance.terminated().isBefore(day.midnight()) || !instance.launched.isBefore(dayEnd)) {
            return;
        }
        every(day, instance, FIRST_CREDENTIALS, CREDENTIAL_PERIOD, t -> credentials(day, instance, t));
        boot(day, instance, instance.launched.plusSeconds(150));
        every(day, instance, 170, 300, t -> day.add(call(instance, t, "ssm.amazonaws.com", "UpdateInstanceInformation")
            .from(instance.publicIp, Agents.SSM_AGENT).request(Json.of("instanceId", instance.id, "agentVersion", "3.3.987.0",
                "agentStatus", "Active", "platformType", "Linux", "platformName", "Amazon Linux",
                "platformVersion", "2023", "iPAddress", instance.privateIp, "computerName", instance.privateDns(),
                "agentName", "amazon-ssm-agent", "availabilityZone", instance.zone, "availabilityZoneId", "use1-az4")), draw));
        every(day, instance, 900, 3600, t -> {
            day.add(configRead(instance, t), draw);
            day.add(call(instance, t.plusSeconds(2), "kms.amazonaws.com", "Decrypt").from(instance.publicIp, Agents.webApp("kms"))
                .request(Json.of("encryptionAlgorithm", "SYMMETRIC_DEFAULT", "keyId", KMS_KEY))
                .resource("AWS::KMS::Key", KMS_KEY, Org.PROD), draw);
        });
    }

    /** Calls {@code action} at launch + offset + k * period for each such time inside the instance's life and the day. */
    private static void every(Day day, WebInstance instance, long offset, long period, Consumer<Instant> action) {
        Instant first = instance.launched.plusSeconds(offset);
        long from = Math.max(0, Math.floorDiv(Duration.between(first, day.midnight()).getSeconds(), period));
        Instant end = day.midnight().plus(Duration.ofDays(1));
        for (long k = from;; k++) {
            Instant t = first.plusSeconds(k * period + k * 7 % 11);
            // every time is after the launch, so a time the instance is not alive at is after its termination
            if (!t.isBefore(end) || !instance.aliveAt(t)) {
                return;
            }
            if (!t.isBefore(day.midnight())) {
                action.accept(t);
            }
        }
    }

    /** The instance-profile session current at {@code time}: its key changes with every delivery. */
    private Who session(WebInstance instance, Instant time) {
        long k = Math.max(0, Duration.between(instance.launched.plusSeconds(FIRST_CREDENTIALS), time).getSeconds() / CREDENTIAL_PERIOD);
        Instant issued = instance.launched.plusSeconds(FIRST_CREDENTIALS + k * CREDENTIAL_PERIOD);
        return Who.role(Org.PROD, WebTier.ROLE, Sts.roleId(Org.PROD, WebTier.ROLE), instance.id,
            new Draw(seed, instance.id + "#" + k).key("ASIA"), issued).withContext("ec2");
    }

    private Call call(WebInstance instance, Instant time, String source, String name) {
        return new Call(session(instance, time), time, source, name);
    }

    private void credentials(Day day, WebInstance instance, Instant time) {
        Who session = session(instance, time);
        day.add(new Call(Who.service("ec2.amazonaws.com"), time, "sts.amazonaws.com", "AssumeRole").recipient(Org.PROD)
            .request(Json.of("roleArn", Org.roleArn(Org.PROD, WebTier.ROLE), "roleSessionName", instance.id))
            .response(Sts.credentials(draw, session, time))
            .resource("AWS::IAM::Role", Org.roleArn(Org.PROD, WebTier.ROLE), Org.PROD), draw);
    }

    private void boot(Day day, WebInstance instance, Instant time) {
        day.add(s3Get(instance, time, "releases/web/web-2026.10.tar.gz"), draw);
        day.add(call(instance, time.plusSeconds(20), "secretsmanager.amazonaws.com", "GetSecretValue")
            .from(instance.publicIp, Agents.webApp("secretsmanager")).request(Json.of("secretId", "prod/web/db")), draw);
        day.add(call(instance, time.plusSeconds(20), "kms.amazonaws.com", "Decrypt")
            .from("secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com")
            .request(Json.of("encryptionContext", Json.of("SecretARN", SECRET, "SecretVersionId", "3f6a1b2c-4d5e-4f60-8a9b-0c1d2e3f4a5b"),
                "encryptionAlgorithm", "SYMMETRIC_DEFAULT"))
            .resource("AWS::KMS::Key", KMS_KEY, Org.PROD), draw);
        day.add(call(instance, time.plusSeconds(35), "logs.amazonaws.com", "CreateLogStream").from(instance.publicIp, Agents.CW_AGENT)
            .request(Json.of("logGroupName", "/web/access", "logStreamName", instance.id)), draw);
        day.add(call(instance, time.plusSeconds(36), "logs.amazonaws.com", "DescribeLogStreams")
            .from(instance.publicIp, Agents.CW_AGENT)
            .request(Json.of("logGroupName", "/web/access", "logStreamNamePrefix", instance.id)), draw);
    }

    private Call configRead(WebInstance instance, Instant time) {
        return s3Get(instance, time, "config/web/app.yaml");
    }

    /** An S3 object read: a data event the trail logs for the artifacts bucket, through the gateway endpoint. */
    private Call s3Get(WebInstance instance, Instant time, String key) {
        return call(instance, time, "s3.amazonaws.com", "GetObject").from(instance.privateIp, Agents.webApp("s3")).data()
            .viaEndpoint(S3_ENDPOINT, Org.PROD)
            .request(Json.of("bucketName", ARTIFACTS, "Host", ARTIFACTS + ".s3.us-east-1.amazonaws.com", "key", key))
            .additional(Json.of("SignatureVersion", "SigV4", "CipherSuite", "TLS_AES_128_GCM_SHA256", "bytesTransferredIn", 0,
                "AuthenticationMethod", "AuthHeader", "x-amz-id-2", draw.hex(40), "bytesTransferredOut", 18_244))
            .resource("AWS::S3::Object", "arn:aws:s3:::" + ARTIFACTS + "/" + key, null)
            .resource("AWS::S3::Bucket", "arn:aws:s3:::" + ARTIFACTS, Org.PROD);
    }
}
