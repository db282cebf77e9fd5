package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.trailhound.detect.rules.RuleCatalog;
import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;

/** Issue #19 item 2: key pairs for approvers and for the stream processor, and decisions that must be signed. */
class KeygenCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteAnOwnerOnlyApproverKeyAndPrintTheResponderLines() throws Exception {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("keygen", "approver", "--name", "alice", "--out", dir.toString(), "--runbooks", "ec2-compromise",
            "--accounts", "111122223333"), cli.err());
        Path key = dir.resolve("alice.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        ResponderConfig config = new ResponderConfig(lines(cli.out()));
        assertEquals(Set.of("alice"), config.approvers().names());
        assertTrue(config.approvers().get("alice").orElseThrow().mayDecide("ec2-compromise", "111122223333"));
        assertTrue(!config.approvers().get("alice").orElseThrow().mayDecide("iam-user-compromise", "111122223333"));

        CliRun again = new CliRun();
        assertEquals(2, again.exec("keygen", "approver", "--name", "alice", "--out", dir.toString()));
        assertTrue(again.err().contains("never overwritten"), again.err());
    }

    @Test
    void shouldPrintTheDetectorSettingsBothSidesAccept() throws Exception {
        CliRun cli = new CliRun();
        assertEquals(0, cli.exec("keygen", "detector", "--name", "detect-2", "--out", dir.toString()), cli.err());
        Map<String, String> printed = lines(cli.out());
        Map<String, Object> detect = new HashMap<>(Map.of(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG,
            printed.get(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG), StreamProcessorConfig.SIGNING_KEY_ID_CONFIG,
            printed.get(StreamProcessorConfig.SIGNING_KEY_ID_CONFIG)));
        assertEquals("detect-2", new StreamProcessorConfig(detect, RuleCatalog.builtIn()).recordSigner().orElseThrow().keyId());
        assertTrue(new ResponderConfig(Map.of(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG,
            printed.get(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG))).alertSignatures().isPresent());
    }

    @Test
    void shouldRefuseToDecideWithoutAKeyUnlessToldUnsigned() {
        CliRun cli = new CliRun();
        assertEquals(2, cli.exec("approve", "some-id"));
        assertTrue(cli.err().contains("--key FILE"), cli.err());
        CliRun both = new CliRun();
        assertEquals(2, both.exec("reject", "some-id", "--unsigned", "--key", dir.resolve("x.key").toString()));
        assertTrue(both.err().contains("exclude each other"), both.err());
    }

    private static Map<String, String> lines(String text) throws Exception {
        Properties props = new Properties();
        props.load(new StringReader(text));
        Map<String, String> map = new HashMap<>();
        props.stringPropertyNames().forEach(name -> map.put(name, props.getProperty(name)));
        return map;
    }
}
