package io.trailhound.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.trailhound.avro.ActionPhase;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;

/** The incident summary as terminal text: header, chain of identities, timeline, containment plan. */
final class SummaryText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private SummaryText() {
    }

    static String render(IncidentSummary s) {
        StringBuilder out = new StringBuilder();
        String counts = s.severityCounts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
        out.append("\n═══ INCIDENT ").append(s.incidentId()).append(" ═══ ").append(s.severity()).append('\n');
        out.append(s.title()).append('\n');
        out.append("Alerts: ").append(s.alerts().size()).append(" (").append(counts).append(")   source: ").append(s.source())
            .append('\n');
        chain(out, s.chain());
        out.append("\nTimeline (UTC, event time)\n");
        for (IncidentSummary.TimelineLine line : s.timeline()) {
            out.append("  ").append(TIME.format(line.time())).append("  ").append(String.format("%-7s ", line.kind()))
                .append(line.text()).append('\n');
        }
        plan(out, s.plan(), s.awaitingApproval());
        chainRoot(out, s.chain(), s.plan());
        return out.toString();
    }

    private static void chain(StringBuilder out, List<ChainLink> chain) {
        out.append("\nChain of identities (where the credentials came from, root first)\n");
        if (chain.isEmpty()) {
            out.append("  (no credential chain: the alerts name resources only)\n");
            return;
        }
        for (int i = 0; i < chain.size(); i++) {
            ChainLink link = chain.get(i);
            out.append("  ").append(i + 1).append(". ").append(i == 0 ? "" : "  ".repeat(i - 1) + "└▶ ").append(link.getPrincipalArn());
            if (link.getAccessKeyId() != null) {
                out.append("  key ").append(link.getAccessKeyId());
            }
            if (link.getMintedByEventName() != null) {
                out.append("  via ").append(link.getMintedByEventName());
                if (link.getMintedAt() != null) {
                    out.append(" at ").append(TIME.format(link.getMintedAt()));
                }
            } else if (i == 0) {
                boolean longTerm = link.getAccessKeyId() != null && link.getAccessKeyId().startsWith("AKIA");
                out.append(longTerm ? "  (long-term access key: where it starts)" : "  (where it starts)");
            }
            out.append('\n');
        }
    }

    private static void plan(StringBuilder out, List<ResponseAction> plan, List<ResponseAction> waiting) {
        boolean dryRun = plan.stream().anyMatch(ResponseAction::getDryRun);
        out.append("\nContainment plan (responder").append(dryRun ? ", DRY RUN: nothing was changed in AWS" : "").append(")\n");
        if (plan.isEmpty()) {
            out.append("  (the responder recorded no step for this incident)\n");
            return;
        }
        for (ResponseAction a : plan) {
            String state = IncidentSummary.awaitsApproval(a) ? "AWAITS APPROVAL" + (a.getDestructive() ? " (destructive)" : "")
                : a.getStatus().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            out.append(String.format("  %-12s %-40s %-60s %s%n", a.getPhase(), a.getAwsAction(), abbreviate(a.getResource(), 60), state));
        }
        Map<Boolean, Long> split = plan.stream().collect(Collectors.partitioningBy(IncidentSummary::awaitsApproval, Collectors.counting()));
        out.append("  ").append(plan.size()).append(" steps: ").append(split.get(false)).append(" automatic, ").append(split.get(true))
            .append(" awaiting a human's approval");
        if (!waiting.isEmpty()) {
            out.append(" (").append(waiting.stream().map(ResponseAction::getAwsAction).distinct().collect(Collectors.joining(", ")))
                .append(')');
        }
        out.append(".\n");
        if (dryRun) {
            out.append("  Live (responder.dry.run=false), those steps are published on trailhound.response.approvals and run only after\n")
                .append("  'trailhound approve <id>'; 'trailhound approvals' lists them.\n");
        }
    }

    /** Says whether the chain's root credential is contained (#14): a leaked key left active mints new sessions at will. */
    private static void chainRoot(StringBuilder out, List<ChainLink> chain, List<ResponseAction> plan) {
        if (chain.isEmpty()) {
            return;
        }
        String root = chain.get(0).getPrincipalArn();
        List<String> contained = plan.stream().filter(a -> a.getResource().equals(root)
                && a.getPhase() == ActionPhase.CONTAINMENT).map(ResponseAction::getAwsAction).distinct().toList();
        out.append(contained.isEmpty()
            ? "  The chain root " + root + " is not contained by this plan.\n"
            : "  The chain root " + root + " is contained first (" + String.join(", ", contained) + "), then every role of the chain"
                + " in its own account: a leaked key left active would mint new sessions.\n");
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** One line per alert as it arrives. */
    static String alertLine(io.trailhound.avro.Alert a) {
        return String.format("  ALERT %s  %-8s %-10s %s — %s (%s %s)", TIME.format(a.getFirstSeen()), a.getSeverity(), a.getRuleId(),
            a.getTitle(), Names.principal(a), a.getAccountId(), a.getRegion());
    }

    /** Whether an alert is worth a line of its own while the demo runs. */
    static boolean loud(io.trailhound.avro.Alert a) {
        return a.getSeverity().ordinal() >= Severity.MEDIUM.ordinal();
    }

    static String when(Instant t) {
        return TIME.format(t);
    }
}
