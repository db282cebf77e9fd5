package io.trailhound.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The real {@code S3Client} against {@link S3Endpoint}: what the helpers seed is what the SDK lists and reads, byte for byte. */
class S3EndpointIT {

    @RegisterExtension
    static final S3Endpoint S3 = new S3Endpoint();

    private static final String PREFIX = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/";

    @Test
    void shouldListAfterKeyAndReadBackGzipByteIdentical() {
        String bucket = "trailhound-trail";
        S3.createBucket(bucket);
        byte[] gzip = gzip("{\"Records\":[{\"eventName\":\"ConsoleLogin\"}]}");
        S3.put(bucket, PREFIX + "a_CloudTrail_20240102T0000Z.json.gz", gzip("{\"Records\":[]}"), "application/x-gzip");
        S3.put(bucket, PREFIX + "b_CloudTrail_20240102T0005Z.json.gz", gzip, "application/x-gzip");
        S3.put(bucket, PREFIX + "c_CloudTrail_20240102T0010Z.json.gz", gzip, "application/x-gzip");
        S3.put(bucket, "AWSLogs/123456789012/CloudTrail-Digest/d.json.gz", gzip);

        try (S3Client s3 = client()) {
            ListObjectsV2Response listed = s3.listObjectsV2(r -> r
                .bucket(bucket).prefix(PREFIX).startAfter(PREFIX + "a_CloudTrail_20240102T0000Z.json.gz"));

            assertEquals(List.of(PREFIX + "b_CloudTrail_20240102T0005Z.json.gz", PREFIX + "c_CloudTrail_20240102T0010Z.json.gz"),
                listed.contents().stream().map(S3Object::key).toList());
            assertEquals((long) gzip.length, listed.contents().get(0).size());
            byte[] read = s3.getObjectAsBytes(r -> r.bucket(bucket).key(PREFIX + "b_CloudTrail_20240102T0005Z.json.gz")).asByteArray();
            assertArrayEquals(gzip, read);
        }
    }

    @Test
    void shouldServeObjectsPutThroughTheSdkToTheHelpers() {
        String bucket = "trailhound-sdk-put";
        S3.createBucket(bucket);
        byte[] content = "hello from the SDK".getBytes(StandardCharsets.UTF_8);

        try (S3Client s3 = client()) {
            s3.putObject(r -> r.bucket(bucket).key("dir/with space/object.txt"), RequestBody.fromBytes(content));
        }
        assertArrayEquals(content, S3.get(bucket, "dir/with space/object.txt"));
    }

    private static S3Client client() {
        return LocalClients.build(S3Client.builder().forcePathStyle(true), S3.endpoint(), S3.accessKeyId(), S3.secretAccessKey(),
            Region.of(S3.region()));
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
