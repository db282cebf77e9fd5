package io.trailhound.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.ApprovalRequest;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Entities;
import io.trailhound.avro.Incident;
import io.trailhound.avro.ResponseAction;
import io.trailhound.avro.Severity;
import io.trailhound.detect.scan.AlertJson;

/**
 * The content of a post-incident report as plain (unescaped) text in sections and tables, shared by the Markdown and HTML
 * renderers, which escape every cell: principal names, titles and summaries come from CloudTrail and can be attacker-chosen.
 */
final class ReportText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private ReportText() {
    }

    /** A titled table; {@code empty} is shown instead when there are no rows. */
    record Table(String title, List<String> header, List<List<String>> rows, String empty) { }

    /** Severity as the scan and tail name it. */
    static String severity(Severity s) {
        return AlertJson.severity(s);
    }

    /** A time for people, UTC to the second. */
    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    /** The incident's headline facts, label and value. */
    static List<List<String>> summary(ReportData d) {
        Incident i = d.incident();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Incident", i.getIncidentId()));
        rows.add(List.of("Status", i.getStatus().name()));
        rows.add(List.of("Severity", severity(i.getSeverity())));
        rows.add(List.of("Mode", i.getMode().name()));
        rows.add(List.of("Principal", TailFormat.principal(i.getPrincipal())));
        rows.add(List.of("Started", time(i.getStartedAt())));
        rows.add(List.of("Last activity", time(i.getLastActivityAt())));
        rows.add(List.of("Accounts", join(i.getAccountIds())));
        rows.add(List.of("Regions", join(i.getRegions())));
        rows.add(List.of("Alerts", Integer.toString(Math.max(i.getAlerts().size(), d.alerts().size()))));
        rows.add(List.of("GuardDuty findings", Integer.toString(d.findingTypes().size())));
        rows.add(List.of("Response actions", d.taken().size() + " taken, " + d.pendingActions().size() + " pending"));
        return rows;
    }

    /** The identity chain, root identity first; the principal alone when its credentials were not minted from another. */
    static List<ChainStep> chain(Incident i) {
        List<ChainStep> steps = new ArrayList<>();
        for (ChainLink link : i.getChain()) {
            steps.add(new ChainStep(link.getPrincipalArn(), nz(link.getAccountId()), nz(link.getAccessKeyId()),
                nz(link.getMintedByEventName()), link.getMintedAt() == null ? "" : time(link.getMintedAt()),
                nz(link.getMintedByEventId())));
        }
        if (steps.isEmpty() && i.getPrincipal() != null) {
            steps.add(new ChainStep(TailFormat.principal(i.getPrincipal()), nz(i.getPrincipal().getAccountId()),
                nz(i.getPrincipal().getAccessKeyId()), "", "", ""));
        }
        return steps;
    }

    /** One identity of the chain and how its credentials were minted (empty strings when not minted). */
    record ChainStep(String arn, String account, String accessKeyId, String mintedBy, String mintedAt, String mintedByEventId) {
        /** The last part of the ARN (user or role name), for pictures. */
        String name() {
            int slash = arn.lastIndexOf('/');
            return slash >= 0 && slash < arn.length() - 1 ? arn.substring(slash + 1) : arn;
        }
    }

    /** The tables after the timeline, in report order. */
    static List<Table> tables(ReportData d) {
        return List.of(alerts(d), affected(d.incident().getEntities()), findings(d), actions("Actions taken", d.taken()),
            actions("Actions pending", d.pendingActions()), approvals(d));
    }

    /** The timeline as a table. */
    static Table timeline(ReportData d) {
        List<List<String>> rows = d.timeline().stream()
            .map(e -> List.of(time(e.time()), e.kind(), e.summary(), e.reference())).toList();
        return new Table("Timeline", List.of("Time", "Kind", "What", "Reference"), rows, "No timeline entries.");
    }

    private static Table alerts(ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        for (Alert a : d.alerts()) {
            rows.add(List.of(time(a.getFirstSeen()), severity(a.getSeverity()), a.getRuleId(), a.getTitle(),
                nz(a.getMitreTechniqueId()) + (a.getMitreTactic() == null ? "" : " " + a.getMitreTactic()),
                a.getAccountId() + " " + a.getRegion(), Long.toString(a.getCount()), join(a.getEventIds())));
        }
        return new Table("Alerts", List.of("First seen", "Severity", "Rule", "Title", "MITRE", "Account / region", "Count",
            "CloudTrail event ids"), rows, "No alert records found on the alerts topic.");
    }

    private static Table affected(Entities e) {
        List<List<String>> rows = new ArrayList<>();
        add(rows, "Access keys", e.getAccessKeyIds());
        add(rows, "IAM users", e.getUserNames());
        add(rows, "IAM roles", e.getRoleArns());
        add(rows, "EC2 instances", e.getInstanceIds().stream()
            .map(id -> e.getInstanceRegions().containsKey(id) ? id + " (" + e.getInstanceRegions().get(id) + ")" : id).toList());
        add(rows, "S3 buckets", e.getBuckets());
        add(rows, "EBS snapshots", e.getSnapshotIds());
        add(rows, "AMIs", e.getImageIds());
        add(rows, "Source IPs", e.getIpAddresses());
        for (Map.Entry<String, List<String>> other : e.getOther().entrySet()) {
            add(rows, other.getKey(), other.getValue());
        }
        return new Table("Affected resources", List.of("Kind", "Resources"), rows, "No resources recorded.");
    }

    private static void add(List<List<String>> rows, String kind, List<String> values) {
        if (!values.isEmpty()) {
            rows.add(List.of(kind, join(values)));
        }
    }

    private static Table findings(ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, String> types = d.findingTypes();
        for (JsonNode f : d.findings()) {
            types.remove(f.path("id").asText());
            rows.add(List.of(f.path("id").asText(), f.path("type").asText(), f.path("severity").asText(""), f.path("title").asText(""),
                f.path("accountId").asText("") + " " + f.path("region").asText(""), f.path("resource").path("resourceType").asText(""),
                f.path("updatedAt").asText("")));
        }
        types.forEach((id, type) -> rows.add(List.of(id, type, "", "(raw finding not on " + "trailhound.guardduty.raw)", "", "", "")));
        return new Table("GuardDuty findings", List.of("Finding id", "Type", "Severity", "Title", "Account / region", "Resource",
            "Updated"), rows, "No GuardDuty findings correlated.");
    }

    private static Table actions(String title, List<ResponseAction> actions) {
        List<List<String>> rows = new ArrayList<>();
        for (ResponseAction a : actions) {
            String why = a.getErrorCode() != null ? a.getErrorCode() + ": " + nz(a.getErrorMessage()) : nz(a.getReason());
            rows.add(List.of(time(a.getTime()), a.getPhase().name(), a.getRunbook() + " / " + a.getStep(), a.getAwsAction(),
                a.getResource(), a.getStatus().name() + (a.getDryRun() ? " (dry run)" : "") + (a.getDestructive() ? ", destructive" : ""),
                nz(a.getAwsRequestId()), why, a.getActor()));
        }
        return new Table(title, List.of("Time", "Phase", "Runbook / step", "AWS action", "Resource", "Status", "AWS request id",
            "Reason / error", "Actor"), rows, "None.");
    }

    private static Table approvals(ReportData d) {
        List<List<String>> rows = new ArrayList<>();
        for (ApprovalRequest r : d.approvals()) {
            ApprovalDecision decision = d.decisions().get(r.getRequestId());
            rows.add(List.of(r.getRequestId(), r.getAwsAction(), r.getResource(), time(r.getRequestedAt()), time(r.getExpiresAt()),
                decision == null ? "awaiting decision" : decision.getDecision() + " by " + decision.getApprover() + " at "
                    + time(decision.getDecidedAt()) + (decision.getReason() == null ? "" : ": " + decision.getReason())
                    // anyone who can write the topic can publish a decision: only the audit says what the responder applied
                    + (decision.getSignature() == null ? " (unsigned: a responder requiring signatures refuses it)" : "")));
        }
        return new Table("Approvals", List.of("Request", "AWS action", "Resource", "Requested", "Expires", "Decision"), rows,
            "No approval requests.");
    }

    /** Where the evidence is: objects and snapshots from the responder, and how to fetch the raw CloudTrail records. */
    static List<String> evidence(ReportData d) {
        List<String> lines = new ArrayList<>();
        d.evidenceLocations().forEach(l -> lines.add(l.startsWith("s3://") ? "S3 object (Object Lock): " + l : "EBS snapshot: " + l));
        Incident i = d.incident();
        String range = "--from " + i.getStartedAt() + " --to " + i.getLastActivityAt().plusSeconds(1);
        for (String key : d.accessKeyIds()) {
            lines.add("Raw CloudTrail records of " + key + ": trailhound replay " + range + " --access-key-id " + key);
        }
        if (d.accessKeyIds().isEmpty()) {
            lines.add("Raw CloudTrail records: trailhound replay " + range);
        }
        lines.add("Alert records: topic trailhound.alerts (keys " + d.alerts().stream().map(Alert::getAlertId)
            .collect(Collectors.joining(", ")) + ")");
        lines.add("Response audit: topic trailhound.response.actions (" + d.actions().size() + " actions)");
        return lines;
    }

    private static String join(List<String> values) {
        return values.isEmpty() ? "-" : String.join(", ", values);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
