package io.trailhound.respond.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.aws.SnsPublishExecutor;
import io.trailhound.respond.aws.WebhookExecutor;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.Step;

/**
 * Notifications per incident state: a notification step (SNS or webhook) is sent once for each distinct state of its
 * incident's actions (the latest status of every non-notification action), so a re-delivered alert with nothing new sends
 * nothing, and an approval, rejection or expiry sends the new state. Its ledger id is the step's id plus a digest of that
 * state.
 */
final class IncidentNotifications {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_SEPARATOR = "#state-";

    private IncidentNotifications() {
    }

    /** Whether {@code action} notifies people (and so runs once per incident state). */
    static boolean isNotification(AwsAction action) {
        return action == AwsAction.SNS_PUBLISH || action == AwsAction.TRAILHOUND_POST_WEBHOOK;
    }

    /** Whether the audit records' action text {@code action} notifies people. */
    static boolean isNotification(String action) {
        return AwsAction.find(action).filter(IncidentNotifications::isNotification).isPresent();
    }

    /** The notification step's id without its state digest. */
    static String baseId(String actionId) {
        int at = actionId.indexOf(STATE_SEPARATOR);
        return at < 0 ? actionId : actionId.substring(0, at);
    }

    /** {@code step} for the incident's current state: its id carries the state digest, its parameters the summary. */
    static PlannedStep forState(PlannedStep step, List<ResponseAction> incident) {
        List<ResponseAction> actions = incident.stream().filter(a -> !isNotification(a.getAwsAction()))
            .sorted(Comparator.comparing(ResponseAction::getActionId)).toList();
        String digest = digest(actions);
        String actionId = baseId(step.actionId()) + STATE_SEPARATOR + digest;
        Map<ActionStatus, Long> counts = new TreeMap<>();
        actions.forEach(a -> counts.merge(a.getStatus(), 1L, Long::sum));
        Map<String, String> parameters = new HashMap<>(step.step().parameters());
        parameters.put(WebhookExecutor.SUMMARY, summary(step, actions, counts));
        parameters.put(SnsPublishExecutor.SUBJECT, "Trailhound " + step.runbook() + " " + step.incidentId() + ": "
            + counts.getOrDefault(ActionStatus.EXECUTED, 0L) + " executed, " + counts.getOrDefault(ActionStatus.AWAITING_APPROVAL, 0L)
            + " awaiting approval, " + counts.getOrDefault(ActionStatus.FAILED, 0L) + " failed");
        parameters.put(SnsPublishExecutor.NOTIFICATION_ID, actionId);
        Step enriched = new Step(step.step().name(), step.step().phase(), step.step().action(), step.step().resource(), parameters,
            false, false);
        return new PlannedStep(actionId, step.incidentId(), step.alertId(), step.runbook(), step.order(), enriched, step.accountId(),
            step.region(), null, step.skippedReason());
    }

    /** The notification step an earlier notification record describes, to send it again for a new state. */
    static PlannedStep fromRecord(ResponseAction notified) {
        Step step = Step.of(notified.getStep(), Phase.NOTIFY, AwsAction.of(notified.getAwsAction()), notified.getResource(),
            Map.of("runbook", notified.getRunbook()));
        return new PlannedStep(baseId(notified.getActionId()), notified.getIncidentId(), notified.getAlertId(), notified.getRunbook(),
            0, step, notified.getAccountId(), notified.getRegion(), null, null);
    }

    private static String summary(PlannedStep step, List<ResponseAction> actions, Map<ActionStatus, Long> counts) {
        ObjectNode summary = JSON.createObjectNode().put("incidentId", step.incidentId()).put("alertId", step.alertId())
            .put("runbook", step.runbook());
        ObjectNode byStatus = summary.putObject("counts");
        counts.forEach((status, n) -> byStatus.put(status.name(), n));
        ArrayNode done = summary.putArray("actions");
        ArrayNode waiting = summary.putArray("awaitingApprovalActions");
        for (ResponseAction action : actions) {
            ObjectNode node = JSON.createObjectNode().put("actionId", action.getActionId()).put("step", action.getStep())
                .put("action", action.getAwsAction()).put("resource", action.getResource()).put("status", action.getStatus().name())
                .put("reason", action.getReason()).put("errorCode", action.getErrorCode()).put("requestId", action.getAwsRequestId());
            (action.getStatus() == ActionStatus.AWAITING_APPROVAL ? waiting : done).add(node);
        }
        summary.put("awaitingApproval", waiting.size());
        return summary.toString();
    }

    private static String digest(List<ResponseAction> actions) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ResponseAction action : actions) {
                sha.update((action.getActionId() + "=" + action.getStatus() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
