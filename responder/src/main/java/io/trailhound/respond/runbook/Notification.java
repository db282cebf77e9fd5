package io.trailhound.respond.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The closing step of every runbook: tell people what was done and what awaits approval. */
public final class Notification {

    /** Action of the notification step when an SNS topic is configured. */
    public static final String SNS_PUBLISH = "sns:Publish";
    /** Action of the notification step when no topic is configured: the audit topic is the only record. */
    public static final String AUDIT_ONLY = "trailhound:RecordOnly";
    /** Action of the step posting the incident summary to the configured webhook. */
    public static final String WEBHOOK = "trailhound:PostWebhook";

    private Notification() {
    }

    /** The notification steps for {@code runbookId}: the configured topic and webhook, else an audit-only step. */
    public static List<Step> steps(RunbookSettings settings, String runbookId) {
        List<Step> steps = new ArrayList<>();
        if (!settings.notificationTopicArn().isEmpty()) {
            steps.add(Step.of("notify", Phase.NOTIFY, SNS_PUBLISH, settings.notificationTopicArn(), Map.of("runbook", runbookId)));
        }
        if (!settings.notificationWebhookUrl().isEmpty()) {
            steps.add(Step.of("notify-webhook", Phase.NOTIFY, WEBHOOK, settings.notificationWebhookUrl(), Map.of("runbook", runbookId)));
        }
        if (steps.isEmpty()) {
            steps.add(Step.of("notify", Phase.NOTIFY, AUDIT_ONLY, "trailhound.response.actions", Map.of("runbook", runbookId)));
        }
        return steps;
    }
}
