package io.trailhound.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.trailhound.signing.Ed25519Keys;

/**
 * The files a service's deployed configuration reads from its pod's mounted Secrets under {@code /etc/trailhound/}, made
 * locally with the same names and kinds: the signing key ({@code keys/detect.key}), the KafkaUser's {@code sasl.jaas.config}
 * ({@code kafka-user/}) and the cluster CA's PKCS12 trust store with its password ({@code kafka-ca/ca.p12},
 * {@code ca.password}, made with the JDK's keytool). {@link #redirect} points every setting at them.
 */
final class PodFiles {

    static final String MOUNTS = "/etc/trailhound/";
    private static final String STORE_PASSWORD = "pod-files-test";

    private PodFiles() {
    }

    /** {@code settings} with {@code /etc/trailhound/} replaced by {@code root} in every value; the files exist under root. */
    static Map<String, Object> redirect(Map<String, Object> settings, Path root) {
        create(root);
        Map<String, Object> out = new HashMap<>();
        settings.forEach((key, value) -> out.put(key, value instanceof String text ? text.replace(MOUNTS, root + "/") : value));
        return out;
    }

    private static void create(Path root) {
        try {
            Path keys = Files.createDirectories(root.resolve("keys"));
            if (!Files.exists(keys.resolve("detect.key"))) {
                Ed25519Keys.writePrivateKey(keys.resolve("detect.key"), Ed25519Keys.generate().getPrivate());
            }
            Path user = Files.createDirectories(root.resolve("kafka-user"));
            Files.writeString(user.resolve("sasl.jaas.config"),
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
            Path ca = Files.createDirectories(root.resolve("kafka-ca"));
            Files.writeString(ca.resolve("ca.password"), STORE_PASSWORD);
            if (!Files.exists(ca.resolve("ca.p12"))) {
                keytool(ca, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-validity", "2", "-dname", "CN=cluster-ca",
                    "-keystore", ca.resolve("ca-key.p12").toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
                keytool(ca, "-exportcert", "-alias", "ca", "-keystore", ca.resolve("ca-key.p12").toString(), "-storepass",
                    STORE_PASSWORD, "-rfc", "-file", ca.resolve("ca.crt").toString());
                keytool(ca, "-importcert", "-noprompt", "-alias", "ca", "-file", ca.resolve("ca.crt").toString(), "-keystore",
                    ca.resolve("ca.p12").toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
