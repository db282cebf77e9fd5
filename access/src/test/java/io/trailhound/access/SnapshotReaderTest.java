package io.trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #15 item 1: the offline input, URL-encoded documents, both SCP file forms, and one-line errors naming file and field. */
class SnapshotReaderTest {

    @TempDir
    Path dir;

    private String error(String gaad) throws Exception {
        Files.writeString(dir.resolve("111111111111.gaad.json"), gaad);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SnapshotReader.read(dir, SnapshotOptions.defaults()));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void shouldDecodeUrlEncodedDocumentsAndReadTheDefaultVersion() throws Exception {
        Snapshot s = SnapshotReader.read(FixtureSnapshotTest.fixture(), SnapshotOptions.defaults());
        PolicyDocument admin = s.policy("arn:aws:iam::aws:policy/AdministratorAccess", "111111111111");
        assertTrue(!admin.unknown() && admin.statements().get(0).actions().contains("*"));
        Identity deploy = s.identity("arn:aws:iam::222222222222:role/deploy").orElseThrow();
        assertEquals("arn:aws:iam::111111111111:root", deploy.trust().statements().get(0).principal().aws().get(0));
        assertEquals(2, s.scpLevels("222222222222").size());
        assertEquals(2, s.scpLevels("222222222222").get(1).size());
        assertEquals(0, s.scpLevels("111111111111").size());
    }

    @Test
    void shouldReadAOneLevelScpArray() throws Exception {
        Iam iam = new Iam();
        iam.account("111111111111").user("alice", Iam.doc(Iam.allow("*", "*")));
        iam.write(dir);
        Files.writeString(dir.resolve("111111111111.scp.json"), "[{\"PolicyId\":\"p-1\",\"Name\":\"only-s3\",\"Content\":"
            + "\"{\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:*\\\",\\\"Resource\\\":\\\"*\\\"}}\"}]");
        Snapshot s = SnapshotReader.read(dir, SnapshotOptions.defaults());
        assertEquals(1, s.scpLevels("111111111111").size());
        Identity alice = s.identity("arn:aws:iam::111111111111:user/alice").orElseThrow();
        assertEquals(Decision.Verdict.IMPLICIT_DENY, new PolicyEvaluator(s).evaluate(alice, "iam:CreateUser", "*").verdict());
    }

    @Test
    void shouldNameFileAndFieldOfAMalformedEntry() throws Exception {
        String msg = error("{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"arn:aws:iam::111111111111:role/r\","
            + "\"AssumeRolePolicyDocument\":{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"sts:AssumeRole\"}]}}]}");
        assertTrue(msg.contains("111111111111.gaad.json") && msg.contains("RoleDetailList[0].AssumeRolePolicyDocument.Statement[0].Effect"),
            msg);
        msg = error("{\"UserDetailList\":[{\"UserName\":\"u\"}]}");
        assertTrue(msg.contains("UserDetailList[0].Arn"), msg);
        msg = error("{\"Policies\":[{\"Arn\":\"arn:aws:iam::111111111111:policy/p\",\"PolicyVersionList\":[{\"Document\":\"%7B\","
            + "\"IsDefaultVersion\":true}]}]}");
        assertTrue(msg.contains("Policies[0].PolicyVersionList[0].Document") && msg.contains("not a JSON policy document"), msg);
        msg = error("{\"UserDetailList\":[{\"UserName\":\"u\",\"Arn\":\"arn:aws:iam::222222222222:user/u\"}]}");
        assertTrue(msg.contains("is not an IAM ARN of account 111111111111"), msg);
        msg = error("not json");
        assertTrue(msg.contains("111111111111.gaad.json: not valid JSON"), msg);
    }

    @Test
    void shouldMarkATruncatedPageAsPartial() throws Exception {
        Files.writeString(dir.resolve("111111111111.gaad.json"), "{\"UserDetailList\":[],\"IsTruncated\":true,\"Marker\":\"abc\"}");
        Snapshot s = SnapshotReader.read(dir, SnapshotOptions.defaults());
        assertTrue(s.unsupported().stream().anyMatch(u -> u.contains("account 111111111111") && u.contains("partial")), s.unsupported()
            .toString());
    }

    @Test
    void shouldRefuseADirectoryWithoutAccountFiles() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SnapshotReader.read(dir, SnapshotOptions.defaults()));
        assertTrue(e.getMessage().contains("no <account>.gaad.json"), e.getMessage());
    }
}
