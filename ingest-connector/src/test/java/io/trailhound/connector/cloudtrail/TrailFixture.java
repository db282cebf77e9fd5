package io.trailhound.connector.cloudtrail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import io.trailhound.testkit.aws.S3Endpoint;

/**
 * A synthetic trail bucket in AWS's real layout (organization folder, accounts, regions, days, gzip'd
 * {@code {"Records":[...]}} files as CloudTrail writes them), with the exact bytes of every event for comparisons.
 */
public record TrailFixture(Map<String, byte[]> files, Map<String, byte[]> events, Map<String, List<String>> eventIdsByKey) {

    public static final String ORG = "o-a1b2c3d4e5";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    /** Builds a trail of {@code accounts} x {@code regions} x {@code days} x {@code filesPerDay} files of {@code recordsPerFile}. */
    public static TrailFixture orgTrail(List<String> accounts, List<String> regions, LocalDate firstDay, int days, int filesPerDay,
                                        int recordsPerFile) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, byte[]> events = new LinkedHashMap<>();
        Map<String, List<String>> idsByKey = new LinkedHashMap<>();
        for (String account : accounts) {
            for (String region : regions) {
                for (int d = 0; d < days; d++) {
                    LocalDate day = firstDay.plusDays(d);
                    for (int f = 0; f < filesPerDay; f++) {
                        Instant time = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(300L * (f + 1));
                        String key = key(account, region, day, time);
                        List<byte[]> fileEvents = new ArrayList<>();
                        List<String> ids = new ArrayList<>();
                        for (int r = 0; r < recordsPerFile; r++) {
                            String id = UUID.nameUUIDFromBytes((key + "#" + r).getBytes(StandardCharsets.UTF_8)).toString();
                            byte[] event = event(id, account, region, time.plusSeconds(r), r);
                            fileEvents.add(event);
                            events.put(id, event);
                            ids.add(id);
                        }
                        files.put(key, gzip(file(fileEvents)));
                        idsByKey.put(key, ids);
                    }
                }
            }
        }
        return new TrailFixture(files, events, idsByKey);
    }

    /** The key of a log file in an organization trail. */
    public static String key(String account, String region, LocalDate day, Instant time) {
        return "AWSLogs/" + ORG + "/" + account + "/CloudTrail/" + region + "/" + DAY.format(day) + "/" + account + "_CloudTrail_" + region
            + "_" + STAMP.format(time) + "_" + Integer.toHexString((account + region + time).hashCode()) + ".json.gz";
    }

    /**
     * One CloudTrail record as AWS writes it (compact JSON), with the awkward parts real ones have: nested objects and
     * arrays, strings holding brackets, braces and escaped quotes, unicode, null and numbers.
     */
    public static byte[] event(String eventId, String account, String region, Instant time, int n) {
        String json = "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:alice\","
            + "\"arn\":\"arn:aws:sts::" + account + ":assumed-role/Admin/alice\",\"accountId\":\"" + account + "\","
            + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::" + account + ":role/Admin\"},"
            + "\"attributes\":{\"creationDate\":\"" + time + "\",\"mfaAuthenticated\":\"false\"}}},"
            + "\"eventTime\":\"" + time.toString().replace(".000", "") + "\",\"eventSource\":\"s3.amazonaws.com\","
            + "\"eventName\":\"PutBucketPolicy\",\"awsRegion\":\"" + region + "\",\"sourceIPAddress\":\"203.0.113." + (n % 250) + "\","
            + "\"userAgent\":\"aws-cli/2.15.0 Python/3.11 \\\"quoted\\\" [bracket] {brace}\","
            + "\"requestParameters\":{\"bucketName\":\"logs-" + n + "\",\"bucketPolicy\":{\"Version\":\"2012-10-17\",\"Statement\":"
            + "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":"
            + "[\"arn:aws:s3:::logs-" + n + "/*\"],\"Condition\":{\"StringLike\":{\"aws:Referer\":[\"]}\\\\\\\"\"]}}}]}},"
            + "\"responseElements\":null,\"additionalEventData\":{\"bytesTransferredIn\":" + (n * 17) + ",\"x\":[[1,2],[3,[4,{}]]],"
            + "\"note\":\"caf\\u00e9 \u00fc\"},\"requestID\":\"" + Integer.toHexString(n) + "REQ\",\"eventID\":\"" + eventId + "\","
            + "\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + account + "\","
            + "\"eventCategory\":\"Management\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A log file's JSON: {@code {"Records":[e1,e2,...]}}. */
    public static byte[] file(List<byte[]> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events.get(i));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Gzips {@code content}. */
    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the files below {@code root}, as {@code aws s3 sync} would. */
    public void writeTo(Path root) {
        files.forEach((key, content) -> write(root.resolve(key), content));
    }

    /** Uploads the files to {@code bucket} below {@code prefix} (empty or ending in '/'). */
    public void putTo(S3Endpoint s3, String bucket, String prefix) {
        files.forEach((key, content) -> s3.put(bucket, prefix + key, content));
    }

    /** Writes one file, creating its directories. */
    public static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
