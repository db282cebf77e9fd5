package io.trailhound.connector;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** The {@code validate()} check of a queue the connector will read: {@code GetQueueAttributes}, its failure as a message. */
public final class QueueAccess {

    private static final Set<String> MISSING = Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist");
    private static final Set<String> CREDENTIALS = Set.of("InvalidClientTokenId", "UnrecognizedClientException",
        "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException");

    private QueueAccess() {
    }

    /**
     * {@link #check} within {@code timeout} (see {@link AccessCheck#within}), with an SQS client built by {@code sqs} on the
     * credentials {@code auth} opens; both are closed after.
     */
    public static Optional<String> checkWithin(Duration timeout, String queueUrl, String setting, Supplier<AwsAuth> auth,
                                               Function<AwsCredentialsProvider, SqsClient> sqs) {
        return AccessCheck.within(timeout, queueUrl, () -> {
            try (AwsAuth opened = auth.get(); SqsClient client = sqs.apply(opened.provider())) {
                return check(client, queueUrl, setting);
            }
        });
    }

    /** Asks SQS for {@code queueUrl}'s ARN; a problem names {@code setting} or the missing permission. */
    public static Optional<String> check(SqsClient sqs, String queueUrl, String setting) {
        try {
            sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN));
            return Optional.empty();
        } catch (SdkException e) {
            return Optional.of(describe(e, queueUrl, setting));
        }
    }

    static String describe(SdkException error, String queueUrl, String setting) {
        Optional<String> role = AwsAuth.roleFailure(error);
        if (role.isPresent()) {
            return role.get();
        }
        if (!(error instanceof AwsServiceException aws)) {
            return "Cannot reach SQS for " + queueUrl + " (" + error.getMessage() + "): check '" + setting + "' and the network path";
        }
        String code = aws.awsErrorDetails() == null ? "" : String.valueOf(aws.awsErrorDetails().errorCode());
        if (aws instanceof QueueDoesNotExistException || MISSING.contains(code)) {
            return "Queue " + queueUrl + " does not exist (" + code + "): check '" + setting + "'";
        }
        if (CREDENTIALS.contains(code)) {
            return "SQS rejected the connector's credentials (" + code + "): check aws.access.key.id/aws.secret.access.key, "
                + "aws.role.arn or the worker's default credentials chain";
        }
        if (aws.statusCode() == 403 || code.startsWith("AccessDenied")) {
            return "Access denied to " + queueUrl + " (" + code + "): the connector's credentials need sqs:GetQueueAttributes, "
                + "sqs:ReceiveMessage and sqs:DeleteMessage on it ('" + setting + "')";
        }
        return "SQS refused GetQueueAttributes on " + queueUrl + " (" + aws.statusCode() + " " + code + ": " + aws.getMessage()
            + "): check '" + setting + "'";
    }
}
