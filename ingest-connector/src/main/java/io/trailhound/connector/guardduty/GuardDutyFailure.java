package io.trailhound.connector.guardduty;

import java.util.Optional;
import java.util.Set;

import io.trailhound.connector.AwsAuth;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a failed GuardDuty call means: retry next round (throttling, 5xx, network), or stop the task with a message naming
 * the IAM permission or the setting to fix.
 */
record GuardDutyFailure(boolean retryable, String message) {

    private static final Set<String> CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidSignatureException",
        "SignatureDoesNotMatch", "ExpiredTokenException", "InvalidClientTokenId", "IncompleteSignatureException");

    /** Classifies {@code error} from {@code operation} (e.g. ListFindings) on {@code detector} (null for ListDetectors). */
    static GuardDutyFailure of(SdkException error, String operation, String region, String detector) {
        String where = (detector == null ? "" : " on detector " + detector) + " in " + region;
        Optional<String> role = AwsAuth.roleFailure(error);
        if (role.isPresent()) {
            return new GuardDutyFailure(false, role.get());
        }
        if (!(error instanceof AwsServiceException aws)) {
            return new GuardDutyFailure(true, operation + where + " failed: " + error.getMessage());
        }
        String code = aws.awsErrorDetails() == null ? "" : String.valueOf(aws.awsErrorDetails().errorCode());
        int status = aws.statusCode();
        if (aws.isThrottlingException() || status == 429 || status >= 500) {
            return new GuardDutyFailure(true, "GuardDuty answered " + status + " " + code + " to " + operation + where);
        }
        if (CREDENTIALS.contains(code)) {
            return new GuardDutyFailure(false, "GuardDuty rejected the connector's credentials (" + code + ") in " + region
                + ": check aws.access.key.id/aws.secret.access.key, aws.role.arn or the worker's default credentials chain");
        }
        if (status == 403 || code.startsWith("AccessDenied")) {
            return new GuardDutyFailure(false, "Access denied to " + operation + where + ": the connector's credentials need "
                + "guardduty:" + operation + " (arn:aws:guardduty:" + region + ":<account>:detector/" + (detector == null ? "*" : detector)
                + ")");
        }
        return new GuardDutyFailure(false, "GuardDuty refused " + operation + where + " (" + status + " " + code + ": "
            + aws.getMessage() + "): check the 'regions' and 'detector.ids' settings");
    }
}
