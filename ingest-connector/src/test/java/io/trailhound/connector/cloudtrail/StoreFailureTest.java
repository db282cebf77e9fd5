package io.trailhound.connector.cloudtrail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import org.junit.jupiter.api.Test;

class StoreFailureTest {

    private static final TrailLocation S3 = TrailLocation.parse("s3://org-trail/logs");
    private static final TrailLocation LOCAL = TrailLocation.parse(Path.of("/tmp/trail-copy").toUri().toString());

    @Test
    void shouldFailFastOnAccessDeniedNamingThePermission() {
        StoreFailure list = StoreFailure.of(s3Error(403, "AccessDenied"), S3, StoreFailure.Operation.LIST);
        StoreFailure read = StoreFailure.of(s3Error(403, "AccessDenied"), S3, StoreFailure.Operation.READ);

        assertFalse(list.retryable());
        assertTrue(list.message().contains("s3:ListBucket on arn:aws:s3:::org-trail"), list.message());
        assertTrue(read.message().contains("s3:GetObject on arn:aws:s3:::org-trail/*"), read.message());
    }

    @Test
    void shouldFailFastOnAMissingBucketNamingTheSetting() {
        StoreFailure failure = StoreFailure.of(s3Error(404, "NoSuchBucket"), S3, StoreFailure.Operation.LIST);

        assertFalse(failure.retryable());
        assertTrue(failure.message().contains("'org-trail' does not exist") && failure.message().contains("'location'"), failure.message());
    }

    @Test
    void shouldFailFastOnRejectedCredentialsAndWrongRegion() {
        assertFalse(StoreFailure.of(s3Error(403, "InvalidAccessKeyId"), S3, StoreFailure.Operation.LIST).message().contains("s3:"));
        assertTrue(StoreFailure.of(s3Error(301, "PermanentRedirect"), S3, StoreFailure.Operation.LIST).message().contains("aws.region"));
    }

    @Test
    void shouldRetryThrottlingServerErrorsAndIo() {
        assertTrue(StoreFailure.of(s3Error(503, "SlowDown"), S3, StoreFailure.Operation.READ).retryable());
        assertTrue(StoreFailure.of(s3Error(500, "InternalError"), S3, StoreFailure.Operation.LIST).retryable());
        assertTrue(StoreFailure.of(s3Error(429, "TooManyRequests"), S3, StoreFailure.Operation.LIST).retryable());
        assertTrue(StoreFailure.of(SdkClientException.create("connection reset"), S3, StoreFailure.Operation.READ).retryable());
        assertTrue(StoreFailure.of(new IOException("disk hiccup"), LOCAL, StoreFailure.Operation.READ).retryable());
    }

    @Test
    void shouldFailFastOnAMissingOrUnreadableTrailCopy() {
        StoreFailure missing = StoreFailure.of(new NoSuchFileException("/tmp/trail-copy"), LOCAL, StoreFailure.Operation.LIST);
        StoreFailure denied = StoreFailure.of(new AccessDeniedException("/tmp/trail-copy/AWSLogs"), LOCAL, StoreFailure.Operation.LIST);

        assertFalse(missing.retryable());
        assertTrue(missing.message().contains("'location'"), missing.message());
        assertFalse(denied.retryable());
        assertTrue(denied.message().contains("read access"), denied.message());
    }

    @Test
    void shouldNotRetryOtherClientErrors() {
        assertFalse(StoreFailure.of(s3Error(400, "InvalidArgument"), S3, StoreFailure.Operation.LIST).retryable());
    }

    @Test
    void shouldJitterBackoffWithinBounds() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int attempt = 0; attempt < 20; attempt++) {
            long delay = backoff.delay(attempt).toMillis();
            assertTrue(delay >= 100 && delay <= Math.min(1000, 100L << attempt), attempt + ": " + delay);
        }
    }

    private static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " message").build())
            .build();
    }
}
