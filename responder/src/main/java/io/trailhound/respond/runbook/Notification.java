package io.trailhound.respond.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The closing step of every runbook: tell people what was done and what awaits approval. */
public final class Notification {

    private Notification() {
    }

    /** The notification steps for {@code runbookId}: the configured topic and webhook, else an audit-only step. */
    public static List<Step> steps(RunbookSettings settings, String runbookId) {
        List<Step> steps = new ArrayList<>();
        if (!settings.notificationTopicArn().isEmpty()) {
            steps.add(Step.of("notify", Phase.NOTIFY, AwsAction.SNS_PUBLISH, settings.notificationTopicArn(),
                Map.of("runbook", runbookId)));
        }
        if (!settings.notificationWebhookUrl().isEmpty()) {
            steps.add(Step.of("notify-webhook", Phase.NOTIFY, AwsAction.TRAILHOUND_POST_WEBHOOK, settings.notificationWebhookUrl(),
                Map.of("runbook", runbookId)));
        }
        if (steps.isEmpty()) {
            steps.add(Step.of("notify", Phase.NOTIFY, AwsAction.TRAILHOUND_RECORD_ONLY, "trailhound.response.actions",
                Map.of("runbook", runbookId)));
        }
        return steps;
    }
}
