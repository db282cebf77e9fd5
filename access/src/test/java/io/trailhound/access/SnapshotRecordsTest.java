package io.trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 4, access side: a snapshot rebuilt from the records of {@code trailhound.iam.snapshots} is the snapshot the
 * offline reader gives for the same files; bad records are left out and named, partial accounts named.
 */
class SnapshotRecordsTest {

    static final long EPOCH = Instant.parse("2026-12-06T00:00:00Z").toEpochMilli();

    /** Every account file of {@code dir} as the records a snapshot connector writes at {@code epoch}. */
    static Map<String, String> records(Path dir, long epoch) {
        Map<String, String> records = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path gaad : files.filter(p -> p.toString().endsWith(".gaad.json")).sorted().toList()) {
                String account = gaad.getFileName().toString().substring(0, 12);
                Path scp = dir.resolve(account + ".scp.json");
                JsonNode scpJson = Files.exists(scp) ? SnapshotRecords.JSON.readTree(scp.toFile()) : null;
                records.putAll(SnapshotRecords.of(account, epoch, SnapshotRecords.JSON.readTree(gaad.toFile()), scpJson));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** Equal nodes and edges (edges as a set: the order of discovery does not matter). */
    static void assertSameGraph(AccessGraph expected, AccessGraph actual) {
        assertEquals(expected.nodes(), actual.nodes());
        assertEquals(new HashSet<>(expected.edges()), new HashSet<>(actual.edges()));
        assertEquals(expected.edges().size(), actual.edges().size());
    }

    @Test
    void shouldRebuildTheFixtureSnapshotFromItsRecords() throws Exception {
        Path fixture = FixtureSnapshotTest.fixture();
        SnapshotOptions options = SnapshotOptions.defaults();
        Snapshot files = SnapshotReader.read(fixture, options);
        SnapshotRecords.Built built = SnapshotRecords.build(records(fixture, EPOCH), options);
        assertEquals(files.accounts().keySet(), built.snapshot().accounts().keySet());
        assertEquals(Map.of("111111111111", EPOCH, "222222222222", EPOCH, "333333333333", EPOCH), built.epochs());
        assertEquals(2, built.snapshot().scpLevels("222222222222").size(), "the SCP levels come from the Scp record");
        AccessGraph expected = GraphBuilder.build(files);
        AccessGraph actual = GraphBuilder.build(built.snapshot());
        assertSameGraph(expected, actual);
        BlastRadius alice = BlastRadius.of(expected, files, FixtureSnapshotTest.ALICE, 5);
        AccessSummary summary = AccessSummary.of(actual, built, 5).get(FixtureSnapshotTest.ALICE);
        assertTrue(summary.adminEquivalent());
        assertEquals(alice.risk().score(), summary.riskScore());
        assertEquals(alice.accounts(), summary.accounts());
        assertEquals(alice.adminPath(), summary.adminPath());
        assertEquals(List.of(FixtureSnapshotTest.LAMBDA_ADMIN, FixtureSnapshotTest.PROD_ADMIN, FixtureSnapshotTest.SHARED_ADMIN),
            summary.topAdminRoles());
        assertEquals(List.of("222222222222", "333333333333"), summary.otherAccounts());
        assertEquals(EPOCH, summary.snapshotEpoch());
        assertEquals(summary, AccessSummary.fromJson(summary.toJson()));
    }

    @Test
    void shouldLeaveOutABadRecordAndNameIt() throws Exception {
        Map<String, String> records = records(FixtureSnapshotTest.fixture(), EPOCH);
        String bobKey = "111111111111|arn:aws:iam::111111111111:user/bob";
        ObjectNode bob = (ObjectNode) SnapshotRecords.JSON.readTree(records.get(bobKey));
        ((ObjectNode) bob.get("entity")).remove("UserName");
        records.put(bobKey, bob.toString());
        records.put("111111111111|arn:aws:iam::111111111111:user/garbage", "{not json");
        SnapshotRecords.Built built = SnapshotRecords.build(records, SnapshotOptions.defaults());
        assertFalse(built.snapshot().identity("arn:aws:iam::111111111111:user/bob").isPresent());
        assertTrue(built.snapshot().identity(FixtureSnapshotTest.ALICE).isPresent(), "the account's other entities stay");
        assertTrue(built.snapshot().unsupported().stream().anyMatch(n -> n.startsWith("record " + bobKey)
            && n.contains("UserName: missing") && n.endsWith("the record is left out")), built.snapshot().unsupported().toString());
        assertTrue(built.snapshot().unsupported().stream().anyMatch(n -> n.contains("user/garbage: not valid JSON")));
    }

    @Test
    void shouldNameAPartialAccountAndOneWithoutMarker() throws Exception {
        Map<String, String> records = records(FixtureSnapshotTest.fixture(), EPOCH);
        ObjectNode marker = (ObjectNode) SnapshotRecords.JSON.readTree(records.get("222222222222|snapshot"));
        ((ObjectNode) marker.get("entity")).put("complete", false).putArray("partial")
            .add("iam:GetAccountAuthorizationDetails AccessDenied");
        records.put("222222222222|snapshot", marker.toString());
        records.remove("333333333333|snapshot");
        Snapshot s = SnapshotRecords.build(records, SnapshotOptions.defaults()).snapshot();
        assertTrue(s.unsupported().contains("account 222222222222: the snapshot is partial (iam:GetAccountAuthorizationDetails"
            + " AccessDenied); what it could not read is missing from the graph"), s.unsupported().toString());
        assertTrue(s.unsupported().stream().anyMatch(n -> n.startsWith("account 333333333333: no end-of-snapshot record")));
    }

    @Test
    void shouldUseTheBundledAdministratorAccessOnlyWhenTheSnapshotLacksIt() throws Exception {
        Map<String, String> records = records(Path.of(getClass().getResource("/replay/n").toURI()), EPOCH);
        String app = "arn:aws:iam::111122223333:role/app";
        IamChanges.Outcome out = IamChanges.apply(new MapRecords(records), "111122223333", "AttachRolePolicy", EPOCH + 1,
            "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}", null);
        assertTrue(out.changed(), out.detail());
        SnapshotRecords.Built built = SnapshotRecords.build(records, SnapshotOptions.defaults());
        AccessGraph graph = GraphBuilder.build(built.snapshot());
        assertEquals(Confidence.DEFINITE, graph.nodes().get(app).admin());
        assertTrue(built.snapshot().unsupported().stream().anyMatch(n -> n.contains("bundled copy")));
        IamChanges.apply(new MapRecords(records), "111122223333", "AttachRolePolicy", EPOCH + 2,
            "{\"roleName\":\"build\",\"policyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}", null);
        AccessGraph unknown = GraphBuilder.build(SnapshotRecords.build(records, SnapshotOptions.defaults()).snapshot());
        assertEquals(Confidence.CONDITIONAL, unknown.nodes().get("arn:aws:iam::111122223333:role/build").admin(),
            "an AWS managed policy neither listed nor bundled is unknown: at most a CONDITIONAL administrator");
        assertTrue(unknown.unsupported().stream().anyMatch(n -> n.startsWith("unknown policy arn:aws:iam::aws:policy/ReadOnlyAccess")));
    }

    /** The records in a map, as the stream processor's store holds them. */
    static final class MapRecords implements IamChanges.Records {

        private final Map<String, String> map;

        MapRecords(Map<String, String> map) {
            this.map = map;
        }

        @Override
        public String get(String key) {
            return map.get(key);
        }

        @Override
        public void put(String key, String value) {
            map.put(key, value);
        }

        @Override
        public void delete(String key) {
            map.remove(key);
        }

        @Override
        public List<String> keys(String prefix) {
            return map.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        }
    }
}
