package io.trailhound.connector;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The {@code validate()} check of a queue the connector will read: {@code GetQueueAttributes}, its failure as a message. */
public final class QueueAccess {

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
            return AwsFailure.of(e, AwsCall.sqs("GetQueueAttributes", queueUrl, setting)).configurationProblem();
        }
    }
}
