package io.trailhound.detect.rules;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;
import io.trailhound.avro.CloudTrailEvent;
import io.trailhound.avro.Mode;
import io.trailhound.avro.Principal;

/** Builds the {@link Alert} a rule raises for an event, with a deterministic id so that a replay yields the same alert. */
public final class AlertFactory {

    private static final int EVIDENCE_CHARS = 400;

    private final Mode mode;

    /** @param mode LIVE for the always-on pipeline, REPLAY for scans and replays */
    public AlertFactory(Mode mode) {
        this.mode = mode;
    }

    /** Suppression key: the same rule on the same principal and entity is one alert. */
    public static String dedupKey(Rule rule, EventView view) {
        return rule.id() + "|" + view.event().getPrincipal().getPrincipalKey() + "|" + EventEntities.suppressionEntity(rule, view);
    }

    /**
     * A new alert of {@code rule} for {@code view}; {@code eventIds} are the triggering events, oldest first, and {@code chain}
     * the caller's credential lineage, root identity first.
     */
    public Alert create(Rule rule, EventView view, List<String> eventIds, Instant firstSeen, List<ChainLink> chain) {
        CloudTrailEvent e = view.event();
        String dedupKey = dedupKey(rule, view);
        // event time too: hand-written timelines reuse eventIDs, and a replay must still give the same id
        String seed = dedupKey + "|" + eventIds.get(0) + "|" + firstSeen.toEpochMilli();
        String alertId = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
        Principal p = e.getPrincipal();
        return Alert.newBuilder()
                .setAlertId(alertId)
                .setDedupKey(dedupKey)
                .setRuleId(rule.id())
                .setRuleKind(rule.kind())
                .setTitle(rule.title())
                .setDescription(rule.description())
                .setSeverity(rule.severityFor(view))
                .setMitreTactic(rule.tactic())
                .setMitreTechniqueId(rule.techniqueId())
                .setMitreTechniqueName(rule.techniqueName())
                .setPrincipal(p)
                .setChain(new ArrayList<>(chain))
                .setAccountId(e.getRecipientAccountId() != null ? e.getRecipientAccountId() : nullToEmpty(p.getAccountId()))
                .setRegion(e.getAwsRegion())
                .setEntities(EventEntities.of(view))
                .setEventIds(new ArrayList<>(eventIds))
                .setFindingIds(List.of())
                .setEvidence(evidence(e))
                .setRunbook(rule.runbook())
                .setCount(1L)
                .setFirstSeen(firstSeen)
                .setLastSeen(e.getEventTime())
                .setDetectedAt(e.getEventTime())
                .setMode(mode)
                .build();
    }

    /** A few fields of the event for triage; request parameters truncated, never credentials (normalization removed them). */
    static String evidence(CloudTrailEvent e) {
        Principal p = e.getPrincipal();
        StringBuilder sb = new StringBuilder()
                .append(e.getEventTime()).append(' ')
                .append(e.getEventSource()).append(':').append(e.getEventName())
                .append(" by ").append(p.getSessionArn() != null ? p.getSessionArn() : nullToEmpty(p.getArn()))
                .append(" from ").append(nullToEmpty(e.getSourceIpAddress()))
                .append(" (").append(nullToEmpty(e.getUserAgent())).append(')')
                .append(" in ").append(e.getAwsRegion());
        if (e.getErrorCode() != null) {
            sb.append(" error=").append(e.getErrorCode());
        }
        if (e.getRequestParameters() != null) {
            sb.append(" request=").append(e.getRequestParameters());
        }
        return sb.length() > EVIDENCE_CHARS ? sb.substring(0, EVIDENCE_CHARS) + "..." : sb.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
