package io.trailhound.respond.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.trailhound.avro.ActionPhase;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.aws.StepOutcome;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.runbook.AwsAction;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.Step;

/** Builds the audit records of {@code trailhound.response.actions} from planned steps and outcomes, and reads steps back. */
public final class AuditRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditRecords() {
    }

    /** A record of {@code step} reaching {@code status}; a waiting step carries its parameters in {@code details}. */
    public static ResponseAction.Builder of(PlannedStep step, ActionStatus status, boolean dryRun, String actor, Instant time) {
        return ResponseAction.newBuilder()
            .setActionId(step.actionId())
            .setIncidentId(step.incidentId())
            .setAlertId(step.alertId())
            .setRunbook(step.runbook())
            .setStep(step.step().name())
            .setPhase(step.step().phase().toAvro())
            .setAwsAction(step.step().action().id())
            .setResource(step.step().resource())
            .setAccountId(step.accountId())
            .setRegion(step.region())
            .setStatus(status)
            .setDestructive(step.step().destructive())
            .setDryRun(dryRun)
            .setReason(status == ActionStatus.SKIPPED ? step.skippedReason() : step.approvalReason())
            .setDetails(parameters(step.step().parameters()))
            .setTime(time)
            .setActor(actor);
    }

    /** The record of an execution outcome. */
    public static ResponseAction executed(PlannedStep step, StepOutcome outcome, String actor, Instant time) {
        return of(step, outcome.status(), false, actor, time)
            .setAwsRequestId(outcome.requestIdText())
            .setErrorCode(outcome.errorCode())
            .setErrorMessage(outcome.errorMessage())
            .setReason(outcome.reason())
            .setDetails(outcome.details())
            .setRollback(outcome.rollback())
            .build();
    }

    /** The reason written into every write-ahead intent record. */
    public static final String INTENT_REASON = "intent: about to make this step's AWS call with these parameters (not an action taken)";

    /**
     * The write-ahead intent of {@code step} (#17): written, durably, right before the step's AWS call, with the step's exact
     * parameters in {@code details} (a token-age deny's cut-off, a policy document). Status {@code PLANNED}: not final and not
     * done, so readers that take the latest record per action id (the ledger, approvals, report, release) see the step as
     * pending until its outcome replaces it. A responder that restarts and finds an intent as an action's latest record runs the
     * step again from these parameters ({@link #stepOf}), so the executor's "already done" check sees its own earlier change.
     *
     * @param approvalRequestId the request an approved step was decided on, or null for an automatic step
     */
    public static ResponseAction intent(PlannedStep step, String approvalRequestId, String actor, Instant time) {
        return of(step, ActionStatus.PLANNED, false, actor, time).setReason(INTENT_REASON).setApprovalRequestId(approvalRequestId)
            .build();
    }

    /** Whether {@code action} is a write-ahead intent ({@link #intent}) rather than an outcome, a request or a decision. */
    public static boolean isIntent(ResponseAction action) {
        return action.getStatus() == ActionStatus.PLANNED && !action.getDryRun();
    }

    /** The request for a human decision on {@code step}, valid for {@code timeout} from {@code now}. */
    public static ApprovalRequest approvalRequest(PlannedStep step, Instant now, Duration timeout) {
        return ApprovalRequest.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setActionId(step.actionId())
            .setIncidentId(step.incidentId())
            .setAlertId(step.alertId())
            .setRunbook(step.runbook())
            .setAwsAction(step.step().action().id())
            .setResource(step.step().resource())
            .setAccountId(step.accountId())
            .setRegion(step.region())
            .setReason(step.approvalReason())
            .setRequestedAt(now)
            .setExpiresAt(now.plus(timeout))
            .build();
    }

    /**
     * The planned step a waiting record or a write-ahead intent describes (its parameters are in {@code details}), for running it
     * once approved, or again after a restart.
     */
    public static PlannedStep stepOf(ResponseAction waiting) {
        Map<String, String> parameters;
        try {
            parameters = MAPPER.readValue(waiting.getDetails() == null ? "{}" : waiting.getDetails(),
                new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit record " + waiting.getActionId() + " has unreadable parameters", e);
        }
        Step step = new Step(waiting.getStep(), phase(waiting.getPhase()), AwsAction.of(waiting.getAwsAction()), waiting.getResource(),
            parameters, waiting.getDestructive(), true);
        return new PlannedStep(waiting.getActionId(), waiting.getIncidentId(), waiting.getAlertId(), waiting.getRunbook(), 0, step,
            waiting.getAccountId(), waiting.getRegion(), waiting.getReason(), null);
    }

    /**
     * The record of a refused approval decision (#19), under an id of its own ({@link PlannedStep#refused}, naming the
     * decision's nonce), so it settles nothing: the step keeps waiting for a valid decision. It describes the waiting step
     * when there is one; else the claimed runbook and action go into the reason only, since the runbook and action fields
     * are metric labels and a forger must not choose their values.
     */
    public static ResponseAction refusedDecision(ApprovalDecision decision, Optional<ResponseAction> waiting, String reason,
                                                 boolean dryRun, String actor, Instant time) {
        String which = decision.getNonce().isBlank() ? decision.getRequestId() + "@" + decision.getDecidedAt().toEpochMilli()
            : decision.getNonce();
        String claimed = waiting.isPresent() ? "" : "; claimed runbook '" + decision.getRunbook() + "', action '"
            + decision.getAwsAction() + "'";
        ResponseAction.Builder record = ResponseAction.newBuilder()
            .setActionId(PlannedStep.refused(decision.getActionId(), "decision:" + which))
            .setResource(decision.getResource()).setAccountId(decision.getAccountId()).setStep("approval-decision");
        waiting.ifPresent(w -> record.setIncidentId(w.getIncidentId()).setAlertId(w.getAlertId()).setRunbook(w.getRunbook())
            .setStep(w.getStep()).setPhase(w.getPhase()).setAwsAction(w.getAwsAction()).setResource(w.getResource())
            .setAccountId(w.getAccountId()).setRegion(w.getRegion()).setDestructive(w.getDestructive()));
        return record.setStatus(ActionStatus.SKIPPED).setDryRun(dryRun).setReason(reason + " (decision " + decision.getDecision()
                + " claimed by '" + decision.getApprover() + "'" + claimed + ")")
            .setApprovalRequestId(decision.getRequestId()).setTime(time).setActor(actor).build();
    }

    /**
     * The record of an untrusted alert or incident (#19), under an id naming where it was read from (a redelivery writes the
     * same record again).
     */
    public static ResponseAction untrusted(String what, Claimed about, String origin, String reason, boolean dryRun, String actor,
                                           Instant time) {
        return ResponseAction.newBuilder()
            .setActionId(PlannedStep.refused("untrusted-" + what, origin))
            .setIncidentId(about.incidentId()).setAlertId(about.alertId()).setStep("refuse-untrusted-" + what)
            .setAccountId(about.accountId()).setRegion(about.region()).setResource(origin)
            .setStatus(ActionStatus.SKIPPED).setDryRun(dryRun).setReason(reason).setTime(time).setActor(actor).build();
    }

    /**
     * What an untrusted record claims to be about, for its audit record.
     *
     * @param incidentId the incident it names
     * @param alertId    the alert it is, or null for an incident record
     * @param accountId  the account it names
     * @param region     the region it names
     */
    public record Claimed(String incidentId, String alertId, String accountId, String region) {

        /** The alert or incident id. */
        public String id() {
            return alertId != null ? alertId : incidentId;
        }
    }

    private static Phase phase(ActionPhase phase) {
        return switch (phase) {
            case EVIDENCE -> Phase.EVIDENCE;
            case CONTAINMENT -> Phase.CONTAINMENT;
            case NOTIFICATION -> Phase.NOTIFY;
        };
    }

    private static String parameters(Map<String, String> parameters) {
        try {
            return MAPPER.writeValueAsString(parameters);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write step parameters", e);
        }
    }
}
