package io.trailhound.respond.aws;

import java.util.List;
import java.util.Set;

import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;

/**
 * Publishes an incident's summary (the step's {@code Summary} parameter, JSON) to the configured SNS topic, with the
 * responder's own credentials. FIFO topics get the notification's id as deduplication id and the incident as group.
 */
public final class SnsPublishExecutor implements StepExecutor {

    /** Parameter carrying the subject line. */
    public static final String SUBJECT = "Subject";
    /** Parameter carrying the notification's idempotency key (incident + state digest). */
    public static final String NOTIFICATION_ID = "NotificationId";

    @Override
    public Set<AwsAction> awsActions() {
        // published with the responder's own identity: see ResponderPolicy.responderIdentity
        return Set.of();
    }

    @Override
    public StepOutcome execute(PlannedStep step, AwsClients aws) {
        String topic = step.step().resource();
        String message = step.step().parameters().getOrDefault(WebhookExecutor.SUMMARY, "{}");
        String subject = subject(step.step().parameters().getOrDefault(SUBJECT, "Trailhound incident " + step.incidentId()));
        boolean fifo = topic.endsWith(".fifo");
        String dedup = Integer.toHexString(step.step().parameters().getOrDefault(NOTIFICATION_ID, step.actionId()).hashCode());
        var response = aws.sns().publish(r -> {
            r.topicArn(topic).subject(subject).message(message);
            if (fifo) {
                r.messageGroupId(step.incidentId().length() > 128 ? step.incidentId().substring(0, 128) : step.incidentId())
                    .messageDeduplicationId(dedup);
            }
        });
        String requestId = response.responseMetadata().requestId();
        return StepOutcome.executed(requestId == null ? List.of() : List.of(requestId), Json.object("messageId",
            List.of(response.messageId())), null);
    }

    /** SNS subjects are ASCII, without line breaks, at most 100 characters. */
    static String subject(String text) {
        String ascii = text.replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() <= 100 ? ascii : ascii.substring(0, 100);
    }
}
