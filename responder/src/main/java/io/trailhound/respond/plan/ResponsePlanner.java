package io.trailhound.respond.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.trailhound.avro.ActionPhase;
import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.Alert;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.runbook.Arns;
import io.trailhound.respond.runbook.IncidentIds;
import io.trailhound.respond.runbook.Phase;
import io.trailhound.respond.runbook.Runbook;
import io.trailhound.respond.runbook.RunbookSelector;
import io.trailhound.respond.runbook.Step;
import io.trailhound.respond.safety.AlertGate;
import io.trailhound.respond.incident.ChainContainment;
import io.trailhound.respond.incident.IncidentState;
import io.trailhound.respond.incident.IncidentStates;
import io.trailhound.respond.incident.IncidentTrigger;
import io.trailhound.respond.safety.CircuitBreaker;
import io.trailhound.respond.safety.ContainmentEvidence;
import io.trailhound.respond.safety.ProtectedResources;

/**
 * Plans the response to an alert: selects its runbook, plans the steps and applies the safety rules (replay and
 * staleness gate, protected principals and resources, approval of destructive and configured actions, circuit breaker).
 * Calls nothing in AWS.
 */
public final class ResponsePlanner {

    private final RunbookSelector selector;
    private final AlertGate gate;
    private final ProtectedResources protectedResources;
    private final CircuitBreaker breaker;
    private final Set<String> approvalActions;
    private final ContainmentEvidence evidence;
    private final IncidentStates incidents = new IncidentStates();
    private final ChainContainment chains;
    private final StepsAcrossKeys acrossKeys = new StepsAcrossKeys(ACROSS_KEYS_WINDOW);

    /** How long a step planned under one incident key stands for the same step under another key (#16). */
    static final Duration ACROSS_KEYS_WINDOW = Duration.ofHours(6);

    /**
     * @param approvalActions AWS actions that always wait for approval, besides the runbooks' destructive steps
     * @param evidence        what evidence lets containment run without approval (and the incidents' rules seen so far)
     * @param chains          containment of an incident's whole identity chain once it is severe enough
     */
    public ResponsePlanner(RunbookSelector selector, AlertGate gate, ProtectedResources protectedResources, CircuitBreaker breaker,
                           Set<String> approvalActions, ContainmentEvidence evidence, ChainContainment chains) {
        this.evidence = evidence;
        this.chains = chains;
        this.selector = selector;
        this.gate = gate;
        this.protectedResources = protectedResources;
        this.breaker = breaker;
        this.approvalActions = Set.copyOf(approvalActions);
    }

    /** The planner {@code config} describes, with a fresh circuit breaker. */
    public static ResponsePlanner from(ResponderConfig config) {
        return new ResponsePlanner(
            new RunbookSelector(RunbookSelector.builtIn(config.runbookSettings()), config.getList(ResponderConfig.RUNBOOK_MAPPING_CONFIG)),
            new AlertGate(config.staleness(), config.minSeverity()),
            new ProtectedResources(config.getList(ResponderConfig.PROTECTED_ARNS_CONFIG),
                config.getString(ResponderConfig.ROLE_NAME_CONFIG), config.getString(ResponderConfig.IDENTITY_ARN_CONFIG)),
            new CircuitBreaker(config.getInt(ResponderConfig.BREAKER_MAX_CONFIG),
                Duration.ofMillis(config.getLong(ResponderConfig.BREAKER_COOLDOWN_CONFIG))),
            Set.copyOf(config.getList(ResponderConfig.APPROVAL_ACTIONS_CONFIG)),
            new ContainmentEvidence(config.containmentPolicy()),
            new ChainContainment(config.runbookSettings(), config.incidentContainmentSeverity()));
    }

    /** The planner's reason prefix for steps the open circuit breaker sent to approval. */
    public static final String BREAKER_OPEN = "circuit breaker open";

    /**
     * Rebuilds the circuit breaker from recent audit records, oldest first (after a restart): automatic containment actions
     * count again, and a refusal by the open breaker opens it again from that time.
     */
    public void restoreCircuitBreaker(List<ResponseAction> recent) {
        Set<String> approved = new HashSet<>();
        for (ResponseAction action : recent) {
            if (action.getStatus() == ActionStatus.APPROVED) {
                approved.add(action.getActionId());
            }
        }
        for (ResponseAction action : recent) {
            boolean containment = action.getPhase() == ActionPhase.CONTAINMENT && !action.getDryRun();
            if (containment && action.getStatus() == ActionStatus.AWAITING_APPROVAL && action.getReason() != null
                && action.getReason().startsWith(BREAKER_OPEN)) {
                breaker.restoreRefused(action.getAccountId(), action.getTime());
            } else if (containment && (action.getStatus() == ActionStatus.EXECUTED || action.getStatus() == ActionStatus.FAILED)
                && !approved.contains(action.getActionId())) {
                breaker.restoreAcquired(action.getAccountId(), action.getTime());
            }
        }
    }

    /** The runbook chosen for {@code alert}, if any. */
    public Optional<Runbook> runbookFor(Alert alert) {
        return selector.select(alert);
    }

    /** The planned steps for {@code alert} at {@code now}, in order; empty when no runbook applies. */
    public List<PlannedStep> plan(Alert alert, Instant now) {
        return plan(alert, now, actionId -> false);
    }

    /**
     * Like {@link #plan(Alert, Instant)}, for a responder that already settled some of the steps (a re-delivered alert, a
     * restart): those do not count against the circuit breaker again.
     *
     * @param settled whether the action with this id already reached a final state
     */
    public List<PlannedStep> plan(Alert alert, Instant now, Predicate<String> settled) {
        // every alert is evidence for its incident, whether or not a runbook applies to it
        evidence.observe(alert);
        Optional<IncidentState> incident = incidents.observe(alert);
        String incidentId = IncidentIds.of(alert);
        Optional<String> refusal = gate.refusal(alert, now);
        List<PlannedStep> planned = new ArrayList<>();
        if (incident.isPresent() && refusal.isEmpty()) {
            // the whole identity chain, root first, before the alert's own runbook
            planChain(chains.plan(incident.get(), alert, now), incidentId, now, settled, planned);
        }
        Optional<Runbook> runbook = selector.select(alert);
        if (runbook.isEmpty()) {
            return List.copyOf(planned);
        }
        Set<String> chainIds = new HashSet<>();
        planned.forEach(p -> chainIds.add(p.actionId()));
        for (Step step : runbook.get().plan(alert, now)) {
            String actionId = PlannedStep.actionId(incidentId, step);
            if (chainIds.contains(actionId)) {
                continue;
            }
            if (refusal.isPresent()) {
                // a refused alert (replayed, stale, below the floor) settles nothing: its audit record must not stop a later
                // alert of the incident that may act from doing the same step
                actionId = PlannedStep.refused(actionId, alert.getAlertId());
            }
            add(planned, actionId, runbook.get().id(), step, alert, refusal, now, settled);
        }
        return List.copyOf(planned);
    }

    /**
     * The chain-wide containment of an incident record (live: {@code trailhound.incidents}, which carries the whole incident,
     * so after a restart its next record brings its severity and chain back); empty below the threshold.
     */
    public List<PlannedStep> plan(Incident incident, Instant now, Predicate<String> settled) {
        IncidentState state = incidents.observe(incident);
        Alert trigger = IncidentTrigger.of(incident);
        if (gate.refusal(trigger, now).isPresent()) {
            return List.of();
        }
        List<PlannedStep> planned = new ArrayList<>();
        planChain(chains.plan(state, trigger, now), incident.getIncidentId(), now, settled, planned);
        return List.copyOf(planned);
    }

    private void planChain(List<ChainContainment.LinkPlan> links, String incidentId, Instant now, Predicate<String> settled,
                           List<PlannedStep> planned) {
        Set<String> ids = new HashSet<>();
        for (ChainContainment.LinkPlan link : links) {
            Alert linkAlert = link.linkAlert();
            for (Step step : link.steps()) {
                String actionId = PlannedStep.actionId(incidentId, step);
                if (!ids.add(actionId)) {
                    continue;
                }
                add(planned, actionId, ChainContainment.ID, step, linkAlert, Optional.empty(), now, settled);
            }
        }
    }

    /**
     * Adds one step about {@code about} (the alert, or the alert narrowed to one link of the chain: same incident and alert
     * id): skipped when the alert was refused or the resource is protected, else with the reason it waits for approval, if
     * any (not evaluated again for a step already settled).
     */
    private void add(List<PlannedStep> planned, String actionId, String runbook, Step step, Alert about, Optional<String> refusal,
                     Instant now, Predicate<String> settled) {
        String skipped = refusal.or(() -> protectedResources.refusal(about, step)).orElse(null);
        // before the circuit breaker counts it: a step another key planned is not planned at all
        if (skipped == null && acrossKeys.plannedUnderAnotherKey(IncidentIds.of(about), step, step.requiresApproval(), now)) {
            return;
        }
        String approval = skipped == null && !settled.test(actionId) ? approvalReason(about, step, now) : null;
        planned.add(new PlannedStep(actionId, IncidentIds.of(about), about.getAlertId(), runbook, planned.size() + 1,
            approval == null ? step : step.withApprovalRequired(), accountOf(about, step), regionOf(about, step), approval, skipped));
    }

    /**
     * The account a step runs in: its resource ARN's account (a role assumed into another account is contained there, not
     * where the AssumeRole was logged), else the alert's.
     */
    private static String accountOf(Alert alert, Step step) {
        String[] parts = step.resource().split(":", 6);
        return parts.length >= 5 && parts[0].equals("arn") && parts[4].matches("\\d{12}") ? parts[4] : alert.getAccountId();
    }

    /** The region a step runs in: its resource ARN's region (an instance in another region, an SNS topic), else the alert's. */
    private static String regionOf(Alert alert, Step step) {
        String region = Arns.region(step.resource());
        return region.isEmpty() ? alert.getRegion() : region;
    }

    private String approvalReason(Alert alert, Step step, Instant now) {
        if (step.destructive()) {
            return "destructive action";
        }
        if (step.requiresApproval() && step.parameters().containsKey(Step.APPROVAL_REASON)) {
            return step.parameters().get(Step.APPROVAL_REASON);
        }
        if (step.requiresApproval() || approvalActions.contains(step.action().id())) {
            return "action " + step.action() + " is configured to need approval";
        }
        String uncorroborated = step.phase() == Phase.CONTAINMENT ? evidence.approvalReason(alert) : null;
        if (uncorroborated != null) {
            return uncorroborated;
        }
        if (step.phase() == Phase.CONTAINMENT && !breaker.tryAcquire(alert.getAccountId(), now)) {
            return BREAKER_OPEN + ": more than " + breaker.maxPerMinute() + " containment actions per minute in account "
                + alert.getAccountId();
        }
        return null;
    }
}
