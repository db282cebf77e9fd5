package io.trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 4: replaying a day of CloudTrail IAM changes over snapshot N gives the graph and summaries a rebuild from
 * snapshot N+1 gives (src/test/resources/replay: N, N+1 and the day's events: an attached AdministratorAccess, an inline
 * user policy, a new default policy version, a group membership, a created and a deleted role, a rewritten cross-account
 * trust, a boundary, a created and attached policy, an inline policy put then deleted; a denied call and an access key
 * change nothing).
 */
class IamChangesTest {

    private static final long NEXT = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();

    static List<JsonNode> events() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(IamChangesTest.class.getResource("/replay/events.jsonl").toURI()))) {
            events.add(SnapshotRecords.JSON.readTree(line));
        }
        return events;
    }

    static IamChanges.Outcome apply(Map<String, String> records, JsonNode e) {
        if (e.has("errorCode") || !IamChanges.understands(e.path("eventSource").asText(), e.path("eventName").asText())) {
            return new IamChanges.Outcome(false, "skipped");
        }
        JsonNode response = e.get("responseElements");
        return IamChanges.apply(new SnapshotRecordsTest.MapRecords(records), e.path("recipientAccountId").asText(),
            e.path("eventName").asText(), Instant.parse(e.path("eventTime").asText()).toEpochMilli(),
            e.path("requestParameters").toString(), response == null || response.isNull() ? null : response.toString());
    }

    @Test
    void shouldGiveTheNextSnapshotsGraphWhenADayOfChangesIsReplayed() throws Exception {
        Map<String, String> replayed = SnapshotRecordsTest.records(Path.of(getClass().getResource("/replay/n").toURI()),
            SnapshotRecordsTest.EPOCH);
        int changed = 0;
        for (JsonNode e : events()) {
            IamChanges.Outcome out = apply(replayed, e);
            changed += out.changed() ? 1 : 0;
        }
        assertEquals(12, changed, "every understood successful change applies; the denied call and CreateAccessKey do not");
        SnapshotOptions options = SnapshotOptions.defaults();
        SnapshotRecords.Built fromReplay = SnapshotRecords.build(replayed, options);
        SnapshotRecords.Built fromNext = SnapshotRecords.build(
            SnapshotRecordsTest.records(Path.of(getClass().getResource("/replay/n1").toURI()), NEXT), options);
        AccessGraph replayGraph = GraphBuilder.build(fromReplay.snapshot());
        AccessGraph nextGraph = GraphBuilder.build(fromNext.snapshot());
        SnapshotRecordsTest.assertSameGraph(nextGraph, replayGraph);
        Map<String, AccessSummary> replaySummaries = AccessSummary.of(replayGraph, fromReplay, 5);
        Map<String, AccessSummary> nextSummaries = AccessSummary.of(nextGraph, fromNext, 5);
        assertEquals(nextSummaries.keySet(), replaySummaries.keySet());
        nextSummaries.forEach((arn, s) -> assertTrue(s.sameAccess(replaySummaries.get(arn)), arn + ": " + s + " vs "
            + replaySummaries.get(arn)));
        AccessGraph before = GraphBuilder.build(SnapshotRecords.build(SnapshotRecordsTest.records(
            Path.of(getClass().getResource("/replay/n").toURI()), SnapshotRecordsTest.EPOCH), options).snapshot());
        assertFalse(new java.util.HashSet<>(before.edges()).equals(new java.util.HashSet<>(nextGraph.edges())),
            "the day changed the graph, so the equality says something");
        assertTrue(replaySummaries.get("arn:aws:iam::111122223333:user/dev").adminEquivalent(), "dev assumes app, now admin");
        assertEquals(List.of("444455556666"), replaySummaries.get("arn:aws:iam::111122223333:role/app").otherAccounts());
    }

    @Test
    void shouldSkipAChangeTheSnapshotAlreadyHasAndSayWhyAnUnknownEntityIsNotChanged() throws Exception {
        Map<String, String> records = SnapshotRecordsTest.records(Path.of(getClass().getResource("/replay/n").toURI()),
            SnapshotRecordsTest.EPOCH);
        Map<String, String> before = Map.copyOf(records);
        IamChanges.Outcome old = IamChanges.apply(new SnapshotRecordsTest.MapRecords(records), "111122223333", "AttachRolePolicy",
            SnapshotRecordsTest.EPOCH - 1, "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}", null);
        assertFalse(old.changed());
        assertTrue(old.detail().contains("older than the snapshot"), old.detail());
        IamChanges.Outcome unknown = IamChanges.apply(new SnapshotRecordsTest.MapRecords(records), "111122223333", "PutRolePolicy",
            SnapshotRecordsTest.EPOCH + 1, "{\"roleName\":\"ghost\",\"policyName\":\"p\",\"policyDocument\":\"{}\"}", null);
        assertEquals("PutRolePolicy: role ghost of 111122223333 is not in the snapshot", unknown.detail());
        IamChanges.Outcome bad = IamChanges.apply(new SnapshotRecordsTest.MapRecords(records), "111122223333", "PutRolePolicy",
            SnapshotRecordsTest.EPOCH + 1, "{\"roleName\":\"app\",\"policyName\":\"p\",\"policyDocument\":\"{\\\"Nope\\\":1}\"}",
            null);
        assertFalse(bad.changed());
        assertTrue(bad.detail().contains("requestParameters.policyDocument.Statement: missing"), bad.detail());
        assertEquals(before, records, "nothing written");
    }
}
