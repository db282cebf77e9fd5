package io.trailhound.connector.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a local trail copy of realistic CloudTrail records (about 1.3 KB each, nested request parameters) in AWS's
 * key layout, so the benchmark can run anywhere without AWS.
 */
public final class SyntheticTrail {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private SyntheticTrail() {
    }

    /** Writes {@code files} files of {@code recordsPerFile} records below {@code root}; returns the number of records. */
    public static long write(Path root, int files, int recordsPerFile) throws IOException {
        String account = "123456789012";
        Instant start = Instant.parse("2024-05-01T00:00:00Z");
        for (int f = 0; f < files; f++) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            json.writeBytes("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
            for (int r = 0; r < recordsPerFile; r++) {
                if (r > 0) {
                    json.write(',');
                }
                json.writeBytes(record(account, start.plusSeconds((long) f * recordsPerFile + r), f * recordsPerFile + r));
            }
            json.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
            // One file per 5 minutes, named and filed as CloudTrail does.
            Instant delivered = start.plusSeconds(300L * f);
            Path dir = root.resolve("AWSLogs/" + account + "/CloudTrail/us-east-1/" + DAY.format(delivered));
            Files.createDirectories(dir);
            String name = account + "_CloudTrail_us-east-1_" + STAMP.format(delivered) + "_"
                + String.format("%08x", f * 2654435761L & 0xffffffffL) + ".json.gz";
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
                json.writeTo(out);
            }
        }
        return (long) files * recordsPerFile;
    }

    private static byte[] record(String account, Instant time, int n) {
        String json = "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:user" + (n % 97)
            + "\",\"arn\":\"arn:aws:sts::" + account + ":assumed-role/Deploy/user" + (n % 97) + "\",\"accountId\":\"" + account
            + "\",\"accessKeyId\":\"ASIAEXAMPLE" + (n % 1000) + "\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\","
            + "\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::" + account + ":role/Deploy\",\"accountId\":\"" + account
            + "\",\"userName\":\"Deploy\"},\"attributes\":{\"creationDate\":\"" + time + "\",\"mfaAuthenticated\":\"false\"}}},"
            + "\"eventTime\":\"" + time + "\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"DescribeInstances\","
            + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100." + (n % 250) + "\",\"userAgent\":\"aws-sdk-java/2.25.0 "
            + "Linux/6.1 OpenJDK_64-Bit_Server_VM/17 md/internal \\\"exec-env/AWS_ECS_FARGATE\\\"\",\"requestParameters\":"
            + "{\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0abc" + n + "\"}]},\"filterSet\":{\"items\":[{\"name\":\"tag:env\","
            + "\"valueSet\":{\"items\":[{\"value\":\"prod\"},{\"value\":\"[stage]\"}]}}]}},\"responseElements\":null,"
            + "\"requestID\":\"" + UUID.nameUUIDFromBytes(("r" + n).getBytes(StandardCharsets.UTF_8)) + "\",\"eventID\":\""
            + UUID.nameUUIDFromBytes(("e" + n).getBytes(StandardCharsets.UTF_8)) + "\",\"readOnly\":true,\"eventType\":\"AwsApiCall\","
            + "\"managementEvent\":true,\"recipientAccountId\":\"" + account + "\",\"eventCategory\":\"Management\","
            + "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
            + "\"clientProvidedHostHeader\":\"ec2.us-east-1.amazonaws.com\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
