package io.trailhound.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.stream.Stream;

import io.trailhound.connector.AwsFailure.Kind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.guardduty.model.GuardDutyException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sts.model.StsException;

/** The one classifier of failed AWS calls (issue 17 item 4): every service's codes read the same way. */
class AwsFailureTest {

    private static final AwsCall GET = AwsCall.s3("GetObject", "org-trail", "AWSLogs/o-1/111111111111/f.json.gz", "location");
    private static final AwsCall HEAD = AwsCall.s3("HeadObject", "org-trail", "AWSLogs/o-1/111111111111/f.json.gz", "location");
    private static final AwsCall LIST = AwsCall.s3("ListObjectsV2", "org-trail", "AWSLogs/", "location");
    private static final AwsCall RECEIVE = AwsCall.sqs("ReceiveMessage", "https://sqs.us-east-1.amazonaws.com/1/q", "queue.url");
    private static final AwsCall FINDINGS = AwsCall.guardDuty("ListFindings", "us-east-1", "d-1");
    private static final AwsCall LOCAL_READ = AwsCall.localFile(false, "file:///trail/AWSLogs/f.json.gz", "location");
    private static final AwsCall LOCAL_LIST = AwsCall.localFile(true, "file:///trail/AWSLogs/", "location");

    static Stream<Arguments> table() {
        return Stream.of(
            // throttling, each service's own code
            Arguments.of(GET, s3(503, "SlowDown"), Kind.RETRYABLE),
            Arguments.of(LIST, s3(500, "InternalError"), Kind.RETRYABLE),
            Arguments.of(GET, s3(400, "RequestTimeout"), Kind.RETRYABLE),
            Arguments.of(GET, s3(503, "ServiceUnavailable"), Kind.RETRYABLE),
            Arguments.of(RECEIVE, sqs(400, "ThrottlingException"), Kind.RETRYABLE),
            Arguments.of(RECEIVE, sqs(403, "RequestThrottled"), Kind.RETRYABLE),
            Arguments.of(RECEIVE, sqs(400, "Throttling"), Kind.RETRYABLE),
            Arguments.of(RECEIVE, sqs(400, "RequestLimitExceeded"), Kind.RETRYABLE),
            Arguments.of(FINDINGS, guardDuty(429, "TooManyRequestsException"), Kind.RETRYABLE),
            Arguments.of(FINDINGS, guardDuty(400, "ProvisionedThroughputExceeded"), Kind.RETRYABLE),
            Arguments.of(FINDINGS, guardDuty(500, "InternalServerErrorException"), Kind.RETRYABLE),
            Arguments.of(FINDINGS, guardDuty(502, ""), Kind.RETRYABLE),
            // no answer: I/O, connection, timeout
            Arguments.of(GET, SdkClientException.create("Unable to execute HTTP request: Connection reset",
                new SocketTimeoutException("Read timed out")), Kind.RETRYABLE),
            Arguments.of(LOCAL_READ, new UncheckedIOException(new IOException("Input/output error")), Kind.RETRYABLE),
            // credentials: retried for a bounded time
            Arguments.of(GET, s3(400, "ExpiredToken"), Kind.CREDENTIALS),
            Arguments.of(GET, s3(403, "InvalidAccessKeyId"), Kind.CREDENTIALS),
            Arguments.of(LIST, s3(403, "SignatureDoesNotMatch"), Kind.CREDENTIALS),
            Arguments.of(RECEIVE, sqs(403, "InvalidClientTokenId"), Kind.CREDENTIALS),
            Arguments.of(FINDINGS, guardDuty(403, "ExpiredTokenException"), Kind.CREDENTIALS),
            Arguments.of(FINDINGS, guardDuty(403, "UnrecognizedClientException"), Kind.CREDENTIALS),
            Arguments.of(GET, SdkClientException.create("Unable to load credentials from any of the providers in the chain"),
                Kind.CREDENTIALS),
            Arguments.of(GET, sts(400, "ExpiredTokenException"), Kind.CREDENTIALS),
            Arguments.of(GET, sts(400, "Throttling"), Kind.RETRYABLE),
            // one object gone (lifecycle rule after the notification): a dead letter, not a task failure
            Arguments.of(GET, noSuchKey(), Kind.GONE),
            Arguments.of(GET, s3(404, "NoSuchKey"), Kind.GONE),
            Arguments.of(HEAD, s3(404, ""), Kind.GONE),
            Arguments.of(LOCAL_READ, new NoSuchFileException("/trail/AWSLogs/f.json.gz"), Kind.GONE),
            // permanent
            Arguments.of(GET, s3(403, "AccessDenied"), Kind.PERMANENT),
            Arguments.of(LIST, s3(404, "NoSuchBucket"), Kind.PERMANENT),
            Arguments.of(GET, s3(404, "NoSuchBucket"), Kind.PERMANENT),
            Arguments.of(LIST, s3(404, "NoSuchKey"), Kind.PERMANENT),
            Arguments.of(LIST, s3(301, "PermanentRedirect"), Kind.PERMANENT),
            Arguments.of(LIST, s3(400, "InvalidArgument"), Kind.PERMANENT),
            Arguments.of(GET, s3(403, "KMS.AccessDeniedException"), Kind.PERMANENT),
            Arguments.of(RECEIVE, sqs(400, "AWS.SimpleQueueService.NonExistentQueue"), Kind.PERMANENT),
            Arguments.of(RECEIVE, sqs(403, "AccessDenied"), Kind.PERMANENT),
            Arguments.of(RECEIVE, sqs(400, "InvalidParameterValue"), Kind.PERMANENT),
            Arguments.of(FINDINGS, guardDuty(403, "AccessDeniedException"), Kind.PERMANENT),
            Arguments.of(FINDINGS, guardDuty(400, "BadRequestException"), Kind.PERMANENT),
            Arguments.of(FINDINGS, guardDuty(400, "ValidationException"), Kind.PERMANENT),
            Arguments.of(GET, sts(403, "AccessDenied"), Kind.PERMANENT),
            Arguments.of(LOCAL_LIST, new NoSuchFileException("/trail/AWSLogs"), Kind.PERMANENT),
            Arguments.of(LOCAL_LIST, new AccessDeniedException("/trail/AWSLogs"), Kind.PERMANENT),
            Arguments.of(GET, new IllegalStateException("a bug"), Kind.PERMANENT));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("table")
    void shouldClassifyByTheServicesOwnCodeAndStatus(AwsCall call, Throwable error, Kind expected) {
        AwsFailure failure = AwsFailure.of(error, call);

        assertEquals(expected, failure.kind(), failure.message());
        assertEquals(expected == Kind.RETRYABLE || expected == Kind.CREDENTIALS, failure.retryable());
    }

    @Test
    void shouldNameServiceOperationResourceCodeAndPermissionWhenAccessIsDenied() {
        String s3 = AwsFailure.of(s3(403, "AccessDenied"), GET).message();
        String sqs = AwsFailure.of(sqs(403, "AccessDenied"), RECEIVE).message();
        String guardDuty = AwsFailure.of(guardDuty(403, "AccessDeniedException"), FINDINGS).message();
        String list = AwsFailure.of(s3(403, "AccessDenied"), LIST).message();

        assertTrue(s3.startsWith("s3:GetObject on arn:aws:s3:::org-trail/AWSLogs/o-1/111111111111/f.json.gz denied (AccessDenied): "
            + "S3 GetObject was refused; grant the connector's credentials s3:GetObject on arn:aws:s3:::org-trail/*"), s3);
        assertTrue(s3.contains("kms:Decrypt"), s3);
        assertTrue(list.startsWith("s3:ListBucket on arn:aws:s3:::org-trail denied (AccessDenied)"), list);
        assertTrue(sqs.startsWith("sqs:ReceiveMessage on https://sqs.us-east-1.amazonaws.com/1/q denied (AccessDenied)"), sqs);
        assertTrue(sqs.contains("sqs:DeleteMessage") && sqs.contains("'queue.url'"), sqs);
        assertTrue(guardDuty.startsWith("guardduty:ListFindings on arn:aws:guardduty:us-east-1:<account>:detector/d-1 denied "
            + "(AccessDeniedException): GuardDuty ListFindings was refused"), guardDuty);
        assertTrue(guardDuty.contains("GuardDuty said: User is not authorized"), "the service's own words are kept: " + guardDuty);
    }

    @Test
    void shouldNameTheSettingToFixForMissingResourcesAndTheRoleForSts() {
        assertTrue(AwsFailure.of(s3(404, "NoSuchBucket"), LIST).message().contains("check the 'location' setting"));
        String queue = AwsFailure.of(sqs(400, "AWS.SimpleQueueService.NonExistentQueue"), RECEIVE).message();
        assertTrue(queue.contains("does not exist") && queue.contains("'queue.url'"), queue);
        assertTrue(AwsFailure.of(s3(301, "PermanentRedirect"), LIST).message().contains("aws.region"));
        String role = AwsFailure.of(sts(403, "AccessDenied"), GET).message();
        assertTrue(role.contains("sts:AssumeRole") && role.contains("aws.role.arn"), role);
        assertTrue(AwsFailure.of(new NoSuchFileException("/trail/AWSLogs"), LOCAL_LIST).message().contains("check the 'location' setting"));
        assertTrue(AwsFailure.of(new AccessDeniedException("/trail/AWSLogs"), LOCAL_LIST).message().contains("read access"));
    }

    @Test
    void shouldQuoteWhatS3SaidAboutAKmsKey() {
        String message = AwsFailure.of(error(S3Exception.builder(), 403, "AccessDenied",
            "User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:1:key/k"),
            GET).message();

        assertTrue(message.contains("S3 said: User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: kms:Decrypt"), message);
    }

    private static AwsServiceException s3(int status, String code) {
        return error(S3Exception.builder(), status, code, code.isEmpty() ? null : "Access Denied");
    }

    private static AwsServiceException sqs(int status, String code) {
        return error(SqsException.builder(), status, code, code + " message");
    }

    private static AwsServiceException guardDuty(int status, String code) {
        return error(GuardDutyException.builder(), status, code, "User is not authorized to perform: guardduty:ListFindings");
    }

    private static AwsServiceException sts(int status, String code) {
        return error(StsException.builder(), status, code, "not authorized to perform: sts:AssumeRole");
    }

    private static AwsServiceException noSuchKey() {
        return error(NoSuchKeyException.builder(), 404, "NoSuchKey", "The specified key does not exist.");
    }

    private static AwsServiceException error(AwsServiceException.Builder builder, int status, String code, String message) {
        builder.statusCode(status).message(message);
        if (!code.isEmpty()) {
            builder.awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build());
        }
        return (AwsServiceException) builder.build();
    }
}
