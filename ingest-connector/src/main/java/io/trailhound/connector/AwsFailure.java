package io.trailhound.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The connectors' one reading of a failed AWS call (rule 9), from the service's own error code and HTTP status:
 * <ul>
 *   <li>{@link Kind#RETRYABLE}: throttling of any service, 5xx, timeouts, I/O and connection errors: back off and retry;</li>
 *   <li>{@link Kind#CREDENTIALS}: expired or rejected credentials, a credentials provider that cannot answer: retried for a
 *       bounded time (IRSA web identity tokens and assumed-role sessions refresh), then the task fails;</li>
 *   <li>{@link Kind#GONE}: the one object a call read is missing (deleted by a lifecycle rule after its notification, or
 *       after it was listed; S3 is read-after-write consistent, so it will not come back): dead-letter it and go on;</li>
 *   <li>{@link Kind#PERMANENT}: access denied, a missing bucket or queue, an invalid request: the task fails with a message
 *       naming the service, operation, resource, error code and the permission or setting to fix.</li>
 * </ul>
 */
public record AwsFailure(Kind kind, String code, int status, String message) {

    /** What to do about a failed call. */
    public enum Kind { RETRYABLE, CREDENTIALS, GONE, PERMANENT }

    /** Throttling and transient service-side codes across S3, SQS, STS and GuardDuty (and the SDK's own list). */
    static final Set<String> RETRYABLE_CODES = Set.of("Throttling", "ThrottlingException", "ThrottledException", "SlowDown",
        "RequestLimitExceeded", "TooManyRequestsException", "ProvisionedThroughputExceeded", "ProvisionedThroughputExceededException",
        "RequestThrottled", "RequestThrottledException", "BandwidthLimitExceeded", "PriorRequestNotComplete", "RequestTimeout",
        "RequestTimeoutException", "RequestTimeTooSkewed", "InternalError", "InternalFailure", "InternalServerError",
        "InternalServerErrorException", "ServiceUnavailable", "ServiceUnavailableException", "AWS.SimpleQueueService.ServiceUnavailable",
        "KMS.ThrottlingException", "IDPCommunicationError", "EC2ThrottledException", "TransactionInProgressException");
    /** Credentials that expired or were not accepted: retried for a bounded time. */
    static final Set<String> CREDENTIALS_CODES = Set.of("ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId",
        "UnrecognizedClientException", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSignatureException",
        "IncompleteSignature", "IncompleteSignatureException", "InvalidToken", "TokenRefreshRequired", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "AuthFailure", "InvalidIdentityToken");
    private static final Set<String> MISSING_QUEUE = Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
        "QueueDoesNotExistException");
    private static final Set<String> WRONG_REGION = Set.of("PermanentRedirect", "AuthorizationHeaderMalformed",
        "IllegalLocationConstraintException");

    /** Whether the call may be retried (now, or within the credentials' bounded time). */
    public boolean retryable() {
        return kind == Kind.RETRYABLE || kind == Kind.CREDENTIALS;
    }

    /**
     * What {@code validate()} reports: nothing when the service answered but was only throttled or unavailable (that says
     * nothing about the configuration, and the task will retry), else the message.
     */
    public Optional<String> configurationProblem() {
        return kind == Kind.RETRYABLE && status > 0 ? Optional.empty() : Optional.of(message);
    }

    /** Classifies {@code error}, thrown by {@code call}. */
    public static AwsFailure of(Throwable error, AwsCall call) {
        Throwable cause = unwrap(error);
        StsException sts = stsCause(cause);
        if (sts != null) {
            return ofSts(sts);
        }
        if (cause instanceof AwsServiceException aws) {
            return ofService(aws, call);
        }
        if (cause instanceof SdkClientException client) {
            return ofClient(client, call);
        }
        if (cause instanceof NoSuchFileException missing) {
            return call.objectRead()
                ? new AwsFailure(Kind.GONE, "NoSuchFile", 0, call.resource() + " no longer exists")
                : permanent("NoSuchFile", 0, "The trail copy " + call.resource() + " has no " + missing.getFile() + ": check the '"
                    + call.setting() + "' setting (file:///path to a directory holding AWSLogs/)");
        }
        if (cause instanceof AccessDeniedException denied) {
            return permanent("AccessDenied", 0, "The worker's user may not " + call.operation() + " " + denied.getFile()
                + ": grant it read access to the trail copy under " + call.grantOn());
        }
        if (cause instanceof IOException io) {
            return new AwsFailure(Kind.RETRYABLE, io.getClass().getSimpleName(), 0, "I/O error on " + call.describe() + ": "
                + io.getMessage());
        }
        return permanent("", 0, "Unexpected error on " + call.describe() + ": " + cause);
    }

    private static AwsFailure ofService(AwsServiceException aws, AwsCall call) {
        String code = codeOf(aws);
        int status = aws.statusCode();
        String answered = " (" + status + (code.isEmpty() ? "" : " " + code) + ")";
        if (retryable(aws, code)) {
            return new AwsFailure(Kind.RETRYABLE, code, status, call.describe() + " throttled or unavailable" + answered);
        }
        if (CREDENTIALS_CODES.contains(code)) {
            return new AwsFailure(Kind.CREDENTIALS, code, status, call.service() + " rejected the connector's credentials on "
                + call.operation() + answered + ": check aws.access.key.id/aws.secret.access.key, aws.role.arn or the worker's "
                + "default credentials chain (with IRSA, the projected web identity token)");
        }
        if (gone(aws, code, call)) {
            return new AwsFailure(Kind.GONE, code.isEmpty() ? "NoSuchKey" : code, status, call.resource() + " no longer exists"
                + answered);
        }
        return permanent(code, status, permanentMessage(aws, code, call, answered));
    }

    private static String permanentMessage(AwsServiceException aws, String code, AwsCall call, String answered) {
        int status = aws.statusCode();
        if ("NoSuchBucket".equals(code)) {
            return call.describe() + " failed" + answered + ": the bucket does not exist: check the '" + call.setting() + "' setting";
        }
        if (MISSING_QUEUE.contains(code)) {
            return "Queue " + call.resource() + " does not exist" + answered + ": check '" + call.setting() + "'";
        }
        if (status == 301 || WRONG_REGION.contains(code)) {
            return call.describe() + " failed" + answered + ": the bucket is in another region: set aws.region to the bucket's region";
        }
        if (status == 403 || code.startsWith("AccessDenied") || code.startsWith("KMS.")) {
            return denied(call, code, aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage());
        }
        return call.service() + " refused " + call.operation() + " on " + call.resource() + answered + ": " + aws.getMessage()
            + ": check '" + call.setting() + "'";
    }

    private static boolean retryable(AwsServiceException aws, String code) {
        return aws.isThrottlingException() || aws.statusCode() == 429 || aws.statusCode() >= 500 || RETRYABLE_CODES.contains(code);
    }

    /** A missing object on an object read; a 404 without a code (HeadObject has no body) counts, a missing bucket does not. */
    private static boolean gone(AwsServiceException aws, String code, AwsCall call) {
        if (!call.objectRead()) {
            return false;
        }
        return aws instanceof NoSuchKeyException || "NoSuchKey".equals(code) || aws.statusCode() == 404 && !"NoSuchBucket".equals(code);
    }

    private static String codeOf(AwsServiceException aws) {
        return aws.awsErrorDetails() == null || aws.awsErrorDetails().errorCode() == null ? "" : aws.awsErrorDetails().errorCode();
    }

    /** "s3:GetObject on arn:aws:s3:::bucket/key denied (AccessDenied): ..." with what to grant, and the service's words. */
    private static String denied(AwsCall call, String code, String said) {
        StringBuilder message = new StringBuilder(call.permission()).append(" on ").append(call.resource()).append(" denied (")
            .append(code.isEmpty() ? "403" : code).append("): ").append(call.service()).append(' ').append(call.operation())
            .append(" was refused; grant the connector's credentials ").append(call.permission()).append(" on ").append(call.grantOn());
        if ("s3:GetObject".equals(call.permission())) {
            message.append(" (and kms:Decrypt on the trail's key if it uses SSE-KMS)");
        } else if ("SQS".equals(call.service())) {
            message.append(" (the connector needs sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on it: '")
                .append(call.setting()).append("')");
        }
        if (said != null && !said.isBlank() && !"Access Denied".equalsIgnoreCase(said.trim())) {
            message.append("; ").append(call.service()).append(" said: ").append(said.trim());
        }
        return message.toString();
    }

    private static AwsFailure ofSts(StsException sts) {
        String code = codeOf(sts);
        int status = sts.statusCode();
        if (retryable(sts, code)) {
            return new AwsFailure(Kind.RETRYABLE, code, status, "STS AssumeRole throttled or unavailable (" + status + " " + code + ")");
        }
        if (CREDENTIALS_CODES.contains(code)) {
            return new AwsFailure(Kind.CREDENTIALS, code, status, "STS rejected the base credentials used to assume the role (" + status
                + " " + code + "): check the worker's credentials chain (with IRSA, the projected web identity token)");
        }
        return permanent(code, status, AwsAuth.roleFailure(sts).orElse("STS refused to assume the configured role (" + status + " " + code
            + "): check aws.role.arn"));
    }

    private static AwsFailure ofClient(SdkClientException client, AwsCall call) {
        String text = String.valueOf(client.getMessage());
        if (text.contains("Unable to load credentials") || text.contains("credentials provider") || text.contains("Unable to load "
            + "region")) {
            return new AwsFailure(Kind.CREDENTIALS, "CredentialsProvider", 0, "No credentials for " + call.describe() + ": " + text
                + " (check the worker's credentials chain; with IRSA, AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)");
        }
        return new AwsFailure(Kind.RETRYABLE, "SdkClientException", 0, call.describe() + " did not get an answer: " + text);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof UncheckedIOException || cause instanceof CompletionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static StsException stsCause(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof StsException sts) {
                return sts;
            }
        }
        return null;
    }

    private static AwsFailure permanent(String code, int status, String message) {
        return new AwsFailure(Kind.PERMANENT, code, status, message);
    }
}
