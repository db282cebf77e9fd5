package io.trailhound.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;

import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;
import io.trailhound.respond.safety.Approvers;
import io.trailhound.signing.Ed25519Keys;

/**
 * The demo's throwaway keys (#19): the stream processor signs its alerts and incidents with a detection key the responder
 * trusts, and one approver may decide on every runbook in every account. Made for one run in a directory only its owner
 * can read, deleted with the demo's other temporary directories; nothing here is ever reused.
 */
final class DemoKeys {

    /** Id of the demo's detection key. */
    static final String DETECTOR_KEY_ID = "demo-detect";
    /** Name of the demo's approver. */
    static final String APPROVER = "demo-approver";

    private final Path dir;
    private final KeyPair detector = Ed25519Keys.generate();
    private final KeyPair approver = Ed25519Keys.generate();

    private DemoKeys(Path dir) {
        this.dir = dir;
    }

    /** New keys, the private ones written to a new owner-only directory. */
    static DemoKeys create() {
        try {
            Path dir = Files.createTempDirectory("trailhound-demo-keys-");
            DemoKeys keys = new DemoKeys(dir);
            Ed25519Keys.writePrivateKey(keys.detectorKeyFile(), keys.detector.getPrivate());
            Ed25519Keys.writePrivateKey(keys.approverKeyFile(), keys.approver.getPrivate());
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's keys", e);
        }
    }

    /** The directory holding the private keys. */
    Path dir() {
        return dir;
    }

    Path detectorKeyFile() {
        return dir.resolve(DETECTOR_KEY_ID + ".key");
    }

    /** The approver's private key, for {@code trailhound approve --key FILE --as demo-approver}. */
    Path approverKeyFile() {
        return dir.resolve(APPROVER + ".key");
    }

    /** The stream processor settings that sign with the detection key. */
    Map<String, Object> detectSettings() {
        return Map.of(StreamProcessorConfig.SIGNING_KEY_FILE_CONFIG, detectorKeyFile().toString(),
            StreamProcessorConfig.SIGNING_KEY_ID_CONFIG, DETECTOR_KEY_ID);
    }

    /** The responder settings that trust the detection key and the approver. */
    Map<String, String> responderSettings() {
        return Map.of(ResponderConfig.ALERTS_TRUSTED_KEYS_CONFIG, DETECTOR_KEY_ID + ":" + Ed25519Keys.publicKeyText(detector.getPublic()),
            Approvers.PREFIX + APPROVER + Approvers.PUBLIC_KEY, Ed25519Keys.publicKeyText(approver.getPublic()),
            Approvers.PREFIX + APPROVER + Approvers.RUNBOOKS, "*",
            Approvers.PREFIX + APPROVER + Approvers.ACCOUNTS, "*");
    }
}
