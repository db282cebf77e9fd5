package io.trailhound.respond.release;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.engine.ActionLedger;
import io.trailhound.respond.engine.ApprovalGate;
import io.trailhound.respond.engine.AuditRecords;
import io.trailhound.respond.plan.PlannedStep;

/**
 * The requesting side of a release (#14), what {@code trailhound release --execute} runs: plans the release of an incident
 * from the ledger and, for each step, writes its AWAITING_APPROVAL record (the step's parameters in {@code details}) on
 * {@code trailhound.response.actions} and its request on {@code trailhound.response.approvals}. The running responder
 * then treats the decision like any other: it rebuilds the step from that record and runs it through the release
 * executor, or records the rejection.
 */
public final class ReleaseRequests {

    private final ActionLedger ledger;
    private final ApprovalGate approvals;
    private final Duration timeout;
    private final String requester;
    private final Clock clock;

    /**
     * @param ledger    the action ledger holding the incident's records (read back from the start of the audit topic)
     * @param approvals where the requests go
     * @param timeout   how long a request stays valid (the responder's {@code responder.approval.timeout.ms} decides)
     * @param requester who asks for the release, written into the audit records
     */
    public ReleaseRequests(ActionLedger ledger, ApprovalGate approvals, Duration timeout, String requester, Clock clock) {
        this.ledger = ledger;
        this.approvals = approvals;
        this.timeout = timeout;
        this.requester = requester;
        this.clock = clock;
    }

    /** The release of {@code incidentId}, or of its one containment step {@code only}. */
    public ReleasePlan plan(String incidentId, Optional<String> only) {
        return ReleasePlanner.plan(incidentId, ledger.incident(incidentId), only);
    }

    /** Audits and requests approval of every step of {@code plan}; returns the audit records written. */
    public List<ResponseAction> request(ReleasePlan plan) {
        Instant now = clock.instant();
        List<ResponseAction> written = new ArrayList<>();
        for (PlannedStep step : plan.steps()) {
            ApprovalRequest request = AuditRecords.approvalRequest(step, now, timeout);
            ResponseAction waiting = AuditRecords.of(step, ActionStatus.AWAITING_APPROVAL, false, requester, now)
                .setApprovalRequestId(request.getRequestId()).build();
            // the record first: a decision arriving before it would find nothing awaiting approval and be ignored
            ledger.record(waiting);
            approvals.request(request);
            written.add(waiting);
        }
        return written;
    }
}
