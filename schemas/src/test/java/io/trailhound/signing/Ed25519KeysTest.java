package io.trailhound.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeysTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteThePrivateKeyForItsOwnerOnlyAndReadItBack() throws Exception {
        KeyPair pair = Ed25519Keys.generate();
        Path file = dir.resolve("alice.key");
        Ed25519Keys.writePrivateKey(file, pair.getPrivate());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        PrivateKey read = Ed25519Keys.readPrivateKey(file);
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        assertTrue(Ed25519Keys.verify(pair.getPublic(), message, Ed25519Keys.sign(read, message)));
        assertThrows(FileAlreadyExistsException.class, () -> Ed25519Keys.writePrivateKey(file, pair.getPrivate()), "never overwritten");
    }

    @Test
    void shouldRoundTripThePublicKeyLine() {
        KeyPair pair = Ed25519Keys.generate();
        String line = Ed25519Keys.publicKeyText(pair.getPublic());
        assertTrue(line.startsWith("MCowBQYDK2VwAyEA"), "X.509 SubjectPublicKeyInfo of an Ed25519 key: " + line);
        assertArrayEquals(pair.getPublic().getEncoded(), Ed25519Keys.parsePublicKey(line).getEncoded());
    }

    @Test
    void shouldRejectWhatIsNotAnEd25519Key() {
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.parsePublicKey("not base64!"));
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.parsePublicKey("MCowBQYDK2VwAyEA"));
        assertThrows(IllegalArgumentException.class, () -> Ed25519Keys.parsePrivateKey("-----BEGIN RSA PRIVATE KEY-----"));
    }
}
