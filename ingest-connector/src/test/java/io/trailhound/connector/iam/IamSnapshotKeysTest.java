package io.trailhound.connector.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** Policy-document decoding, the tombstone computation and the source offset of the IAM snapshot source. */
class IamSnapshotKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"a b+c\",\"Effect\":\"Allow\","
        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/100%/caf\u00e9\"}]}";

    @Test
    void shouldDecodeIamsUrlEncodingKeepingAPlusAPlus() throws Exception {
        String encoded = FakeIam.encode(DOC);
        assertTrue(encoded.contains("%20") && encoded.contains("%2B") && !encoded.contains("+"), encoded);

        assertEquals(JSON.readTree(DOC), PolicyDocuments.decode(encoded));
        // A literal '+' left unencoded (as some tools write) is a plus, never a space.
        assertEquals("a+b", PolicyDocuments.decode("%7B%22Sid%22%3A%22a+b%22%7D").get("Sid").asText());
        // Already decoded (e.g. by the CLI) is accepted as it is.
        assertEquals(JSON.readTree(DOC), PolicyDocuments.decode(DOC));
    }

    @Test
    void shouldRefuseWhatIsNotAUrlEncodedJsonObject() {
        IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class, () -> PolicyDocuments.decode("%7Bnot%20json"));
        assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyDocuments.decode("%5B1%2C2%5D"));
        IllegalArgumentException badEscape = assertThrows(IllegalArgumentException.class, () -> PolicyDocuments.decode("%7B%zz"));
        assertTrue(badEscape.getMessage().contains("URL-encoded"), badEscape.getMessage());
    }

    @Test
    void shouldDecodeEveryDocumentOfAnEntityAndNameTheOnesThatFail() throws Exception {
        var role = JSON.createObjectNode().put("Arn", "arn:aws:iam::111111111111:role/r")
            .put("AssumeRolePolicyDocument", FakeIam.encode(DOC));
        role.putArray("RolePolicyList").addObject().put("PolicyName", "p").put("PolicyDocument", "%7Bbroken");
        role.putArray("InstanceProfileList").addObject().putArray("Roles").addObject().put("AssumeRolePolicyDocument", FakeIam.encode(DOC));

        List<String> problems = PolicyDocuments.decodeDocuments(role, "Role r");

        assertEquals(JSON.readTree(DOC), role.get("AssumeRolePolicyDocument"));
        assertEquals(JSON.readTree(DOC), role.at("/InstanceProfileList/0/Roles/0/AssumeRolePolicyDocument"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Role r.RolePolicyList[0].PolicyDocument: "), problems.get(0));
    }

    @Test
    void shouldTombstoneOnlyWhatACompletelyReadPartNoLongerHas() {
        Set<String> previous = Set.of("arn:u1", "arn:u2", "arn:dead", SnapshotKeys.SCP, SnapshotKeys.SNAPSHOT);

        Set<String> complete = SnapshotKeys.live(previous, Set.of("arn:u1", SnapshotKeys.SCP), Set.of("arn:dead"), true, true);
        assertEquals(List.of("arn:u2"), SnapshotKeys.tombstones(previous, complete), "u2 is gone; a dead-lettered entity is kept");

        Set<String> entitiesDenied = SnapshotKeys.live(previous, Set.of(SnapshotKeys.SCP), Set.of(), false, true);
        assertEquals(List.of(), SnapshotKeys.tombstones(previous, entitiesDenied), "AccessDenied never deletes what was known");

        Set<String> scpDenied = SnapshotKeys.live(previous, Set.of("arn:u1", "arn:u2", "arn:dead"), Set.of(), true, false);
        assertEquals(List.of(), SnapshotKeys.tombstones(previous, scpDenied));
        assertTrue(scpDenied.contains(SnapshotKeys.SCP));

        Set<String> scpGone = SnapshotKeys.live(previous, Set.of("arn:u1", "arn:u2", "arn:dead"), Set.of(), true, true);
        assertEquals(List.of(SnapshotKeys.SCP), SnapshotKeys.tombstones(previous, scpGone));
        assertFalse(complete.contains(SnapshotKeys.SNAPSHOT), "the marker is never part of the key set");
    }

    @Test
    void shouldRoundTripTheOffsetAndRefuseForeignOnes() {
        Set<String> keys = Set.of("arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:user/b\u00e9", SnapshotKeys.SCP);
        SnapshotOffset offset = new SnapshotOffset(1714557600000L, true, keys);

        assertEquals(offset, SnapshotOffset.fromMap(offset.toMap()));
        assertEquals(new SnapshotOffset(5, false, Set.of()), SnapshotOffset.fromMap(new SnapshotOffset(5, false, Set.of()).toMap()));
        Map<String, Object> bad = new HashMap<>(offset.toMap());
        bad.put("epoch", -1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotOffset.validate(bad)).getMessage().contains("epoch"));
        Map<String, Object> foreign = new HashMap<>(offset.toMap());
        foreign.put("keys", "not-gzip");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SnapshotOffset.validate(foreign)).getMessage().contains("keys"));
        Map<String, Object> extra = new HashMap<>(offset.toMap());
        extra.put("cursor", 1);
        assertThrows(IllegalArgumentException.class, () -> SnapshotOffset.validate(extra));
    }
}
