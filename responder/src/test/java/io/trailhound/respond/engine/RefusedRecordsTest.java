package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.TestAlerts;
import io.trailhound.respond.plan.PlannedStep;

/** Issue #19: the audit records of refused decisions and untrusted alerts settle nothing and carry no forged labels. */
class RefusedRecordsTest {

    private static final Instant NOW = TestAlerts.NOW;

    private static ApprovalDecision forged() {
        return ApprovalDecision.newBuilder().setRequestId("r").setActionId("inc-1|iam:DeleteLoginProfile|u|remove")
            .setDecision(Decision.APPROVED).setApprover("mallory").setRunbook("x".repeat(40)).setAwsAction("made:Up")
            .setResource("u").setAccountId("111122223333").setNonce("n-1").setDecidedAt(NOW).build();
    }

    @Test
    void shouldRecordARefusedDecisionUnderItsOwnIdWithoutClaimedLabels() {
        ResponseAction record = AuditRecords.refusedDecision(forged(), Optional.empty(), "approval decision refused (unsigned): x",
            false, "responder", NOW);
        assertEquals("inc-1|iam:DeleteLoginProfile|u|remove|refused:decision:n-1", record.getActionId());
        assertTrue(PlannedStep.isRefused(record.getActionId()), "settles nothing: the step keeps waiting");
        assertEquals(ActionStatus.SKIPPED, record.getStatus());
        assertEquals("", record.getRunbook(), "metric labels never take a forger's values");
        assertEquals("", record.getAwsAction());
        assertTrue(record.getReason().contains("claimed runbook '" + "x".repeat(40) + "', action 'made:Up'"), record.getReason());
        assertTrue(record.getReason().contains("claimed by 'mallory'"), record.getReason());
    }

    @Test
    void shouldDescribeTheWaitingStepWhenThereIsOne() {
        ResponseAction waiting = ResponseAction.newBuilder().setActionId("inc-1|iam:DeleteLoginProfile|u|remove").setIncidentId("inc-1")
            .setRunbook("iam-user-compromise").setStep("remove").setAwsAction("iam:DeleteLoginProfile").setResource("u")
            .setAccountId("111122223333").setRegion("us-east-1").setStatus(ActionStatus.AWAITING_APPROVAL).setTime(NOW).build();
        ResponseAction record = AuditRecords.refusedDecision(forged(), Optional.of(waiting), "refused", false, "responder", NOW);
        assertEquals("iam-user-compromise", record.getRunbook());
        assertEquals("iam:DeleteLoginProfile", record.getAwsAction());
        assertEquals("inc-1", record.getIncidentId());
        assertEquals("r", record.getApprovalRequestId());
    }

    @Test
    void shouldRecordAnUntrustedAlertByWhereItWasRead() {
        ResponseAction record = AuditRecords.untrusted("alert", new AuditRecords.Claimed("inc-9", "a-9", "111122223333", "us-east-1"),
            "trailhound.alerts-0@42", "alert refused", true, "responder", NOW);
        assertEquals("untrusted-alert|refused:trailhound.alerts-0@42", record.getActionId());
        assertEquals("a-9", record.getAlertId());
        assertEquals(ActionStatus.SKIPPED, record.getStatus());
        assertTrue(record.getDryRun());
    }
}
