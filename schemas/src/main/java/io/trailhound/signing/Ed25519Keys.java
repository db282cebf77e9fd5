package io.trailhound.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * Ed25519 keys and signatures with the JDK's own provider: key pairs, the text forms we store them in (a private key as a
 * PKCS#8 PEM file readable by its owner only, a public key as one base64 line of its X.509 SubjectPublicKeyInfo, the form
 * {@code openssl pkey -pubout -outform DER | base64} prints), signing and verifying.
 */
public final class Ed25519Keys {

    /** The JCA name of the algorithm, for keys and signatures. */
    public static final String ALGORITHM = "Ed25519";
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private Ed25519Keys() {
    }

    /** A new key pair from the JDK's strong random source. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 provider", e);
        }
    }

    /** The one-line text form of {@code key}: base64 of its X.509 SubjectPublicKeyInfo encoding. */
    public static String publicKeyText(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * Reads a public key from its one-line text form.
     *
     * @throws IllegalArgumentException when the text is not an Ed25519 public key
     */
    public static PublicKey parsePublicKey(String text) {
        try {
            byte[] der = Base64.getDecoder().decode(text.trim());
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (base64 of its X.509 encoding): " + abbreviated(text), e);
        }
    }

    /** The PKCS#8 PEM form of {@code key}. */
    public static String privateKeyPem(PrivateKey key) {
        return PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
            + "\n" + PEM_END + "\n";
    }

    /**
     * Reads a private key from its PKCS#8 PEM form.
     *
     * @throws IllegalArgumentException when the text is not an Ed25519 private key in PKCS#8 PEM
     */
    public static PrivateKey parsePrivateKey(String pem) {
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PKCS#8 PEM private key (expected " + PEM_BEGIN + ")");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** Reads the private key in the PEM file {@code file}. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        try {
            return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code key} as PEM to the new file {@code file}, readable and writable by its owner only from the moment it
     * exists (never world-readable, even briefly).
     *
     * @throws FileAlreadyExistsException when the file exists: a key is never overwritten
     */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        byte[] pem = privateKeyPem(key).getBytes(StandardCharsets.US_ASCII);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } else {
            Files.createFile(file);
            java.io.File f = file.toFile();
            boolean restricted = f.setReadable(false, false) && f.setReadable(true, true) && f.setWritable(false, false)
                && f.setWritable(true, true);
            if (!restricted) {
                Files.delete(file);
                throw new IOException("cannot restrict " + file + " to its owner");
            }
        }
        Files.write(file, pem);
    }

    /** The Ed25519 signature of {@code message} by {@code key} (64 bytes). */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is {@code key}'s signature of {@code message}; false for a malformed signature. */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String abbreviated(String text) {
        return text == null ? "null" : text.length() > 24 ? text.substring(0, 24) + "..." : text;
    }
}
