package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;

import io.trailhound.connector.AwsAuth;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What a failed call to the trail store means: retry later (throttling, 5xx, I/O) or stop the task with a message that
 * says which permission or setting to fix (access denied, missing bucket, bad credentials).
 */
public record StoreFailure(boolean retryable, String message) {

    /** The store call that failed, naming the IAM action it needs. */
    public enum Operation {
        LIST("list", "s3:ListBucket"),
        READ("read", "s3:GetObject");

        private final String verb;
        private final String permission;

        Operation(String verb, String permission) {
            this.verb = verb;
            this.permission = permission;
        }
    }

    private static final Set<String> THROTTLING = Set.of("SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
        "TooManyRequestsException", "RequestTimeout", "InternalError", "ServiceUnavailable");
    private static final Set<String> CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
        "InvalidToken", "TokenRefreshRequired");

    /** Classifies {@code error} from {@code operation} against {@code location}. */
    public static StoreFailure of(Throwable error, TrailLocation location, Operation operation) {
        Optional<String> role = AwsAuth.roleFailure(error);
        if (role.isPresent()) {
            return permanent(role.get());
        }
        if (error instanceof AwsServiceException aws) {
            return ofAws(aws, location, operation);
        }
        if (error instanceof NoSuchFileException missing && !location.s3()) {
            return permanent("The trail copy " + location.uri() + " has no " + missing.getFile()
                + ": check the 'location' setting (file:///path to a directory holding AWSLogs/)");
        }
        if (error instanceof AccessDeniedException denied) {
            return permanent("The worker's user may not " + operation.verb + " " + denied.getFile()
                + ": grant it read access to the trail copy under " + location.uri());
        }
        if (error instanceof SdkClientException || error instanceof IOException) {
            return new StoreFailure(true, "I/O error on " + location.uri() + ": " + error.getMessage());
        }
        return permanent("Unexpected error on " + location.uri() + ": " + error);
    }

    private static StoreFailure ofAws(AwsServiceException aws, TrailLocation location, Operation operation) {
        String code = aws.awsErrorDetails() == null ? "" : String.valueOf(aws.awsErrorDetails().errorCode());
        int status = aws.statusCode();
        if (aws.isThrottlingException() || status == 429 || status >= 500 || THROTTLING.contains(code)) {
            return new StoreFailure(true, "S3 answered " + status + " " + code + " on " + location.uri() + "; backing off");
        }
        if ("NoSuchBucket".equals(code)) {
            return permanent("Bucket '" + location.bucket() + "' does not exist: check the 'location' setting (" + location.uri() + ")");
        }
        if (CREDENTIALS.contains(code)) {
            return permanent("S3 rejected the connector's credentials (" + code + "): check aws.access.key.id/aws.secret.access.key "
                + "or the worker's default credentials chain");
        }
        if ("AccessDenied".equals(code) || status == 403) {
            return permanent("Access denied to " + operation.verb + " " + location.uri() + ": the connector's credentials need "
                + operation.permission + " on arn:aws:s3:::" + location.bucket() + (operation == Operation.READ ? "/*" : "")
                + " (and kms:Decrypt on the trail's key if it uses SSE-KMS)"
                + (mentionsKms(aws) ? "; S3 said: " + aws.getMessage() : ""));
        }
        if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            return permanent("Bucket '" + location.bucket() + "' is in another region: set aws.region to the bucket's region");
        }
        return permanent("S3 refused to " + operation.verb + " " + location.uri() + ": " + status + " " + code + " "
            + aws.getMessage());
    }

    private static boolean mentionsKms(AwsServiceException aws) {
        return aws.getMessage() != null && aws.getMessage().contains("kms:");
    }

    private static StoreFailure permanent(String message) {
        return new StoreFailure(false, message);
    }
}
