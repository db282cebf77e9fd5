package io.trailhound.respond.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.aws.AwsClients;
import io.trailhound.respond.aws.StepExecutors;
import io.trailhound.respond.aws.StepOutcome;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.plan.ResponsePlanner;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.safety.DecisionCheck;

/**
 * Responds to one alert: plans its runbook, then walks the steps in order against the ledger. A step already in a final
 * state is not touched again; suppressed steps are audited as skipped; in dry-run nothing is executed; a step needing
 * approval is requested once and runs when an approval arrives; after a failure, later steps on the same resource are
 * skipped (the notification still goes out).
 */
public final class AlertResponder {

    private static final Logger LOG = LoggerFactory.getLogger(AlertResponder.class);

    private final ResponsePlanner planner;
    private final StepExecutors executors;
    private final BiFunction<String, String, AwsClients> clients;
    private final ActionLedger ledger;
    private final ApprovalGate approvals;
    private final Settings settings;
    private final Clock clock;
    private final ResponderMetrics metrics;

    /**
     * @param clients the AWS clients for an account and region
     */
    public AlertResponder(ResponsePlanner planner, StepExecutors executors, BiFunction<String, String, AwsClients> clients,
                          ActionLedger ledger, ApprovalGate approvals, Settings settings, Clock clock, ResponderMetrics metrics) {
        this.planner = planner;
        this.executors = executors;
        this.clients = clients;
        this.ledger = ledger;
        this.approvals = approvals;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Plans and runs the response to {@code alert}; returns the audit records written now, in order. */
    public List<ResponseAction> respond(Alert alert) {
        long received = System.nanoTime();
        Instant now = clock.instant();
        return run(planner.plan(alert, now, this::settled), now, received);
    }

    /**
     * Plans and runs the chain-wide containment of an incident record (#14): the record carries the whole incident, so a
     * responder that restarted learns its severity and chain back from its next record; returns the audit records written.
     */
    public List<ResponseAction> respond(Incident incident) {
        long received = System.nanoTime();
        Instant now = clock.instant();
        return run(notDoneUnderAnotherKey(incident, planner.plan(incident, now, this::settled)), now, received);
    }

    /**
     * The incident's steps but those already taken (or waiting for approval) under the incident key of one of its alerts (#16):
     * an alert reaches the responder before its incident, carrying the key of its root identity as the principal's task saw
     * it; when that differs from the incident's id (the alert joined through an instance, a key, a user the incident created,
     * or its chain was completed only in the incident stage), its chain containment ran under its own key. Doing the same
     * step again under the incident's id would act twice.
     */
    private List<PlannedStep> notDoneUnderAnotherKey(Incident incident, List<PlannedStep> plan) {
        Set<String> members = new HashSet<>();
        incident.getAlerts().forEach(ref -> members.add(ref.getAlertId()));
        Set<String> keys = new HashSet<>(ledger.incidentsOfAlerts(members));
        String id = incident.getIncidentId();
        keys.remove(id);
        if (keys.isEmpty()) {
            return plan;
        }
        List<PlannedStep> kept = new ArrayList<>();
        for (PlannedStep step : plan) {
            Optional<ResponseAction> done = step.actionId().startsWith(id + "|") ? keys.stream()
                .map(key -> ledger.latest(key + step.actionId().substring(id.length()))).flatMap(Optional::stream).findFirst()
                : Optional.empty();
            if (done.isPresent()) {
                LOG.info("incident {}: {} already {} as {}", id, step.actionId(), done.get().getStatus(), done.get().getActionId());
            } else {
                kept.add(step);
            }
        }
        return kept;
    }

    /**
     * A dry-run record of a step that waited for approval, planned again as automatic (a later alert corroborated the
     * incident): recorded again, as a live responder would take it then, so the dry-run audit says what live would do.
     */
    private static boolean nowAutomatic(ResponseAction prior, PlannedStep step) {
        return dryRunAwaitingApproval(prior) && !step.requiresApproval() && !step.skipped();
    }

    /** A dry-run record of a step that would have waited for approval (its reason says why). */
    private static boolean dryRunAwaitingApproval(ResponseAction action) {
        return action.getStatus() == ActionStatus.DRY_RUN && action.getReason() != null;
    }

    /** Final, except a dry-run record of a step that waited for approval: a later plan may make it automatic. */
    private boolean settled(String actionId) {
        return ledger.latest(actionId).map(action -> ActionLedger.isFinal(action.getStatus()) && !dryRunAwaitingApproval(action))
            .orElse(false);
    }

    private List<ResponseAction> run(List<PlannedStep> plan, Instant now, long received) {
        boolean acted = false;
        List<ResponseAction> written = new ArrayList<>();
        Set<String> failedResources = new HashSet<>();
        for (PlannedStep planned : plan) {
            PlannedStep step = IncidentNotifications.isNotification(planned.step().action())
                ? IncidentNotifications.forState(planned, ledger.incident(planned.incidentId())) : planned;
            Optional<ResponseAction> prior = ledger.latest(step.actionId());
            if (prior.isPresent() && ActionLedger.isFinal(prior.get().getStatus()) && !nowAutomatic(prior.get(), step)) {
                if (prior.get().getStatus() == ActionStatus.FAILED && !step.step().continuesOnFailure()) {
                    failedResources.add(step.step().resource());
                }
                continue;
            }
            ResponseAction record = resumeOrDecide(step, prior, failedResources, now);
            if (record != null) {
                if (!acted && record.getStatus() == ActionStatus.EXECUTED && record.getAwsRequestId() != null) {
                    acted = true;
                    metrics.firstAction(Duration.ofNanos(System.nanoTime() - received));
                }
                written.add(record);
                if (record.getStatus() == ActionStatus.FAILED && !step.step().continuesOnFailure()) {
                    failedResources.add(step.step().resource());
                }
            }
        }
        return written;
    }

    /**
     * Applies a human decision: runs the approved step, or records the rejection. A decision the {@link DecisionCheck}
     * refuses (unsigned, unknown signer, bad signature, out of scope, expired, replayed, for another request) changes
     * nothing but its own audit record; late or unknown decisions change nothing.
     */
    public List<ResponseAction> decide(ApprovalDecision decision) {
        Optional<ResponseAction> waiting = ledger.latest(decision.getActionId());
        Optional<ResponseAction> interrupted = interruptedApproval(decision, waiting);
        if (interrupted.isPresent()) {
            settings.decisions().applied(decision, clock.instant());
            return withNotifications(interrupted.get().getIncidentId(), List.of(proceed(interrupted.get())));
        }
        Optional<DecisionCheck.Refusal> refusal = settings.decisions().refusal(decision, waiting, clock.instant());
        if (refusal.isPresent()) {
            LOG.warn("decision {} on {} claimed by {} refused: {}", decision.getDecision(), decision.getActionId(), decision.getApprover(),
                refusal.get().reason());
            metrics.refused("decision", refusal.get().kind());
            return List.of(write(AuditRecords.refusedDecision(decision, waiting, "approval decision refused ("
                + refusal.get().kind() + "): " + refusal.get().reason(), settings.dryRun(), settings.actor(), clock.instant())));
        }
        if (waiting.isEmpty() || waiting.get().getStatus() != ActionStatus.AWAITING_APPROVAL) {
            LOG.info("decision on {} ignored: nothing awaits approval under that id", decision.getActionId());
            return List.of();
        }
        settings.decisions().applied(decision, clock.instant());
        PlannedStep step = AuditRecords.stepOf(waiting.get());
        Instant expiry = waiting.get().getTime().plus(settings.approvalTimeout());
        if (decision.getDecidedAt().isAfter(expiry)) {
            String late = "approval expired at " + expiry + "; decision of " + decision.getApprover() + " came too late";
            return withNotifications(step.incidentId(), List.of(write(AuditRecords.of(step, ActionStatus.SKIPPED, false, settings.actor(),
                clock.instant()).setReason(late).build())));
        }
        if (decision.getDecision() != Decision.APPROVED) {
            return withNotifications(step.incidentId(), List.of(write(AuditRecords.of(step, ActionStatus.REJECTED, false,
                decision.getApprover(), clock.instant()).setReason(decision.getReason()).build())));
        }
        if (settings.dryRun()) {
            // a request this responder did not make while in dry run (a release, #14, or one from before a switch to dry run)
            return List.of(write(AuditRecords.of(step, ActionStatus.DRY_RUN, true, decision.getApprover(), clock.instant())
                .setReason("approved by " + decision.getApprover() + "; the responder runs in dry run").build()));
        }
        // the approval names its request, so a restart after it (before the step's intent) knows which decision it answers
        ResponseAction approved = write(AuditRecords.of(step, ActionStatus.APPROVED, false, decision.getApprover(), clock.instant())
            .setReason(decision.getReason()).setApprovalRequestId(waiting.get().getApprovalRequestId()).build());
        return withNotifications(step.incidentId(), List.of(approved, execute(step, waiting.get().getApprovalRequestId())));
    }

    /**
     * The intent, or the approval, of an approved step that was interrupted (a kill) after that record and before its outcome,
     * when {@code decision} is the redelivered decision it ran on: checked as the waiting request it answered (signature, scope,
     * request id, expiry), since both records keep that request's id; empty otherwise.
     */
    private Optional<ResponseAction> interruptedApproval(ApprovalDecision decision, Optional<ResponseAction> latest) {
        if (latest.isEmpty() || !(AuditRecords.isIntent(latest.get()) || latest.get().getStatus() == ActionStatus.APPROVED)
            || latest.get().getApprovalRequestId() == null
            || !latest.get().getApprovalRequestId().equals(decision.getRequestId()) || decision.getDecision() != Decision.APPROVED
            || settings.dryRun()) {
            return Optional.empty();
        }
        Optional<ResponseAction> asWaiting = Optional.of(ResponseAction.newBuilder(latest.get())
            .setStatus(ActionStatus.AWAITING_APPROVAL).build());
        return settings.decisions().refusal(decision, asWaiting, clock.instant()).isEmpty() ? latest : Optional.empty();
    }

    /**
     * {@code written} followed by the notifications of the incident's new state (each notification step the incident had,
     * sent again once for this state); a failed notification is recorded and changes nothing else.
     */
    private List<ResponseAction> withNotifications(String incidentId, List<ResponseAction> written) {
        List<ResponseAction> all = new ArrayList<>(written);
        Map<String, ResponseAction> notifications = new TreeMap<>();
        for (ResponseAction action : ledger.incident(incidentId)) {
            if (IncidentNotifications.isNotification(action.getAwsAction())) {
                notifications.putIfAbsent(IncidentNotifications.baseId(action.getActionId()), action);
            }
        }
        for (ResponseAction notified : notifications.values()) {
            PlannedStep step = IncidentNotifications.forState(IncidentNotifications.fromRecord(notified), ledger.incident(incidentId));
            if (ledger.latest(step.actionId()).map(a -> ActionLedger.isFinal(a.getStatus())).orElse(false)) {
                continue;
            }
            all.add(settings.dryRun() ? write(AuditRecords.of(step, ActionStatus.DRY_RUN, true, settings.actor(), clock.instant()).build())
                : execute(step));
        }
        return all;
    }

    /**
     * A step whose intent is its latest record was interrupted after the intent was written (a kill): it runs again with the
     * intent's parameters, not the re-planned ones (a new cut-off), so AWS shows it as done if it was; any other step is decided.
     */
    private ResponseAction resumeOrDecide(PlannedStep step, Optional<ResponseAction> prior, Set<String> failedResources, Instant now) {
        if (prior.isPresent() && (AuditRecords.isIntent(prior.get()) || prior.get().getStatus() == ActionStatus.APPROVED)
            && !settings.dryRun()) {
            return proceed(prior.get());
        }
        return decide(step, prior, failedResources, now);
    }

    /**
     * Goes on with a step interrupted after {@code latest}, its last record (#17): from an intent, the step runs again with the
     * intent's parameters; from an approval (killed before the intent), the approval stands and the approved step runs as the
     * decision would have run it, its intent first. Either way the step gets one outcome.
     */
    private ResponseAction proceed(ResponseAction latest) {
        if (AuditRecords.isIntent(latest)) {
            return resume(latest);
        }
        LOG.info("going on with {}, approved at {} and interrupted before its intent", latest.getActionId(), latest.getTime());
        metrics.resumed();
        return execute(AuditRecords.stepOf(latest), latest.getApprovalRequestId());
    }

    private ResponseAction decide(PlannedStep step, Optional<ResponseAction> prior, Set<String> failedResources, Instant now) {
        if (step.skipped()) {
            return write(AuditRecords.of(step, ActionStatus.SKIPPED, settings.dryRun(), settings.actor(), now).build());
        }
        if (failedResources.contains(step.step().resource()) && step.step().phase() != Phase.NOTIFY) {
            return write(AuditRecords.of(step, ActionStatus.SKIPPED, settings.dryRun(), settings.actor(), now)
                .setReason("an earlier step on this resource failed").build());
        }
        if (settings.dryRun()) {
            return write(AuditRecords.of(step, ActionStatus.DRY_RUN, true, settings.actor(), now).build());
        }
        if (step.requiresApproval()) {
            return prior.isPresent() ? null : requestApproval(step, now);
        }
        return execute(step);
    }

    /**
     * Asks a human; a step whose executor must show what would change (a trust policy diff, #18) reads it first, and the
     * waiting record keeps what identifies the state shown, so the approved step acts on exactly that.
     */
    private ResponseAction requestApproval(PlannedStep planned, Instant now) {
        PlannedStep step = planned;
        StepExecutors.Preview preview = executors.preview(planned, () -> clients.apply(planned.accountId(), planned.region()));
        if (preview.failure() != null) {
            return write(AuditRecords.executed(step, preview.failure(), settings.actor(), now));
        }
        ApprovalRequest request = AuditRecords.approvalRequest(step, now, settings.approvalTimeout());
        if (preview.preview().isPresent()) {
            step = step.withParameters(preview.preview().get().parameters());
            request = ApprovalRequest.newBuilder(request).setDetails(preview.preview().get().details()).build();
        }
        approvals.request(request);
        return write(AuditRecords.of(step, ActionStatus.AWAITING_APPROVAL, false, settings.actor(), now)
            .setApprovalRequestId(request.getRequestId()).build());
    }

    /**
     * Records that an alert or incident record was refused as untrusted (#19: unsigned, or not signed by a trusted detection
     * key): nothing is planned, no incident state changes, nothing reaches AWS.
     *
     * @param what   {@code alert} or {@code incident}
     * @param about  the record as it claims to be: incident id, alert id (or null), account, region
     * @param origin topic, partition and offset the record was read from
     * @param reason why it was refused
     */
    public ResponseAction refuseUntrusted(String what, AuditRecords.Claimed about, String origin, String reason) {
        LOG.warn("{} {} from {} refused: {}", what, about.id(), origin, reason);
        metrics.refused(what, reason.startsWith("unsigned") ? "unsigned" : "bad-signature");
        return write(AuditRecords.untrusted(what, about, origin, what + " refused, nothing done: not from the detection pipeline ("
            + reason + ")", settings.dryRun(), settings.actor(), clock.instant()));
    }

    private ResponseAction execute(PlannedStep step) {
        return execute(step, null);
    }

    /**
     * Writes the step's intent (#17: durably, before AWS is called; notifications excepted, their channels have no state to
     * check), then runs it.
     */
    private ResponseAction execute(PlannedStep step, String approvalRequestId) {
        if (!IncidentNotifications.isNotification(step.step().action())) {
            ledger.record(AuditRecords.intent(step, approvalRequestId, settings.actor(), clock.instant()));
        }
        return perform(step);
    }

    /** Runs the step an intent describes again, with the intent's parameters; no new intent is written. */
    private ResponseAction resume(ResponseAction intent) {
        LOG.info("resuming {} from its intent of {} (interrupted before its outcome was recorded)", intent.getActionId(),
            intent.getTime());
        metrics.resumed();
        return perform(AuditRecords.stepOf(intent));
    }

    private ResponseAction perform(PlannedStep step) {
        long started = System.nanoTime();
        StepOutcome outcome = executors.run(step, clients.apply(step.accountId(), step.region()));
        metrics.stepExecuted(step.step().action().id(), Duration.ofNanos(System.nanoTime() - started));
        LOG.info("step {} {} on {}: {}{}", step.step().name(), step.step().action(), step.step().resource(), outcome.status(),
            outcome.errorCode() == null ? "" : " " + outcome.errorCode());
        return write(AuditRecords.executed(step, outcome, settings.actor(), clock.instant()));
    }

    private ResponseAction write(ResponseAction record) {
        ledger.record(record);
        metrics.recorded(record);
        return record;
    }

    /**
     * How the responder behaves.
     *
     * @param dryRun          plan and audit only
     * @param approvalTimeout how long an approval request stays valid
     * @param actor           the responder's identity, written into every audit record it causes
     * @param decisions       the check every approval decision passes before it is applied (#19)
     */
    public record Settings(boolean dryRun, Duration approvalTimeout, String actor, DecisionCheck decisions) {
    }
}
