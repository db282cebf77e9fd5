package io.trailhound.respond.safety;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.trailhound.avro.ActionStatus;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.safety.Approvers.Approver;
import io.trailhound.signing.DecisionSignature;

/**
 * Decides whether an approval decision may be applied (#19): it must be signed by a configured approver's key, within that
 * approver's runbooks and accounts, unexpired, never applied before (its nonce), and for exactly the request that waits:
 * same request id, action, account, runbook, AWS action and resource as the step's AWAITING_APPROVAL record. The nonces of
 * applied decisions are remembered until the decision expires (at most {@code maxRemembered}); after a restart the
 * ledger's state does the same job, since a decided step no longer awaits approval.
 */
public final class DecisionCheck {

    private static final int MAX_REMEMBERED = 100_000;

    private final Approvers approvers;
    private final boolean requireSignature;
    private final Map<String, Instant> applied = new LinkedHashMap<>();

    /**
     * @param approvers        who may approve what
     * @param requireSignature whether an unsigned decision is refused (off only for development: then an unsigned decision
     *                         is applied as before signing existed, a signed one is still checked)
     */
    public DecisionCheck(Approvers approvers, boolean requireSignature) {
        this.approvers = Objects.requireNonNull(approvers, "approvers");
        this.requireSignature = requireSignature;
    }

    /**
     * Why {@code decision} must not be applied at {@code now} to the step whose latest record is {@code waiting}, or empty
     * when it may (or when it is unsigned and signatures are not required).
     */
    public Optional<Refusal> refusal(ApprovalDecision decision, Optional<ResponseAction> waiting, Instant now) {
        if (decision.getSignature() == null || !decision.getSignature().hasRemaining()) {
            return requireSignature ? refuse(Refusal.UNSIGNED, "the decision is not signed") : Optional.empty();
        }
        Optional<Approver> approver = approvers.get(decision.getApprover());
        if (approver.isEmpty()) {
            return refuse(Refusal.UNKNOWN_SIGNER, "'" + printable(decision.getApprover()) + "' is not a configured approver");
        }
        if (!DecisionSignature.verify(decision, approver.get().key())) {
            return refuse(Refusal.BAD_SIGNATURE, "the signature is not " + approver.get().name() + "'s over this decision");
        }
        Optional<Refusal> stale = staleness(decision, waiting, now);
        if (stale.isPresent()) {
            return stale;
        }
        Optional<String> mismatch = mismatch(decision, waiting.orElseThrow());
        if (mismatch.isPresent()) {
            return refuse(Refusal.MISMATCH, mismatch.get());
        }
        ResponseAction step = waiting.get();
        if (!approver.get().mayDecide(step.getRunbook(), step.getAccountId())) {
            return refuse(Refusal.OUT_OF_SCOPE, approver.get().name() + " may not decide on runbook " + step.getRunbook()
                + " in account " + step.getAccountId() + " (runbooks " + approver.get().runbooks() + ", accounts "
                + approver.get().accounts() + ")");
        }
        return Optional.empty();
    }

    /** Replayed (nonce applied before, or nothing awaits a decision) or expired; empty when the decision is current. */
    private Optional<Refusal> staleness(ApprovalDecision decision, Optional<ResponseAction> waiting, Instant now) {
        if (decision.getNonce().isBlank()) {
            return refuse(Refusal.REPLAYED, "the decision carries no nonce");
        }
        synchronized (applied) {
            if (applied.containsKey(decision.getNonce())) {
                return refuse(Refusal.REPLAYED, "a decision with nonce " + decision.getNonce() + " was applied already");
            }
        }
        if (decision.getExpiresAt().toEpochMilli() <= 0 || now.isAfter(decision.getExpiresAt())) {
            return refuse(Refusal.EXPIRED, "the decision expired at " + decision.getExpiresAt());
        }
        if (waiting.isEmpty() || waiting.get().getStatus() != ActionStatus.AWAITING_APPROVAL) {
            return refuse(Refusal.REPLAYED, "nothing awaits approval under " + decision.getActionId()
                + waiting.map(w -> " (the step is " + w.getStatus() + ")").orElse(""));
        }
        return Optional.empty();
    }

    /** Remembers that {@code decision} was applied, so its nonce is refused from now on. */
    public void applied(ApprovalDecision decision, Instant now) {
        if (decision.getNonce().isBlank()) {
            return;
        }
        synchronized (applied) {
            applied.values().removeIf(expiry -> expiry.isBefore(now));
            while (applied.size() >= MAX_REMEMBERED) {
                applied.remove(applied.keySet().iterator().next());
            }
            applied.put(decision.getNonce(), decision.getExpiresAt());
        }
    }

    private static Optional<String> mismatch(ApprovalDecision decision, ResponseAction waiting) {
        Map<String, String[]> fields = new LinkedHashMap<>();
        if (waiting.getApprovalRequestId() != null) {
            fields.put("request", new String[] {decision.getRequestId(), waiting.getApprovalRequestId()});
        }
        fields.put("account", new String[] {decision.getAccountId(), waiting.getAccountId()});
        fields.put("runbook", new String[] {decision.getRunbook(), waiting.getRunbook()});
        fields.put("AWS action", new String[] {decision.getAwsAction(), waiting.getAwsAction()});
        fields.put("resource", new String[] {decision.getResource(), waiting.getResource()});
        for (Map.Entry<String, String[]> field : fields.entrySet()) {
            String[] pair = field.getValue();
            if (!pair[1].equals(pair[0])) {
                return Optional.of("the decision is for " + field.getKey() + " '" + printable(pair[0]) + "', the waiting request is for '"
                    + pair[1] + "'");
            }
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(String kind, String reason) {
        return Optional.of(new Refusal(kind, reason));
    }

    private static String printable(String text) {
        String cut = text.length() > 128 ? text.substring(0, 128) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * Why a decision was refused.
     *
     * @param kind   a short code for metrics: unsigned, unknown-signer, bad-signature, replayed, expired, mismatch, out-of-scope
     * @param reason what an operator reads in the audit record
     */
    public record Refusal(String kind, String reason) {
        public static final String UNSIGNED = "unsigned";
        public static final String UNKNOWN_SIGNER = "unknown-signer";
        public static final String BAD_SIGNATURE = "bad-signature";
        public static final String REPLAYED = "replayed";
        public static final String EXPIRED = "expired";
        public static final String MISMATCH = "mismatch";
        public static final String OUT_OF_SCOPE = "out-of-scope";
    }
}
