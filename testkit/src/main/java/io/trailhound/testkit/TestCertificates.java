package io.trailhound.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost}/{@code 127.0.0.1}, made with the JDK's {@code keytool}: a PKCS12 key store
 * for a test server (the secured broker, the registry's TLS proxy) and a PKCS12 trust store holding its certificate for clients.
 */
record TestCertificates(Path keystore, Path truststore) {

    /** The password of both stores (and of the key). */
    static final String STORE_PASSWORD = "trailhound-test-store";

    /** Makes {@code <name>.p12} and {@code <name>-truststore.p12} in {@code dir}. */
    static TestCertificates create(Path dir, String name) throws IOException, InterruptedException {
        Path keystore = dir.resolve(name + ".p12");
        Path truststore = dir.resolve(name + "-truststore.p12");
        Path pem = dir.resolve(name + ".pem");
        keytool(dir, "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
            "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(),
            "-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool(dir, "-exportcert", "-alias", name, "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
            "-rfc", "-file", pem.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", name, "-file", pem.toString(), "-keystore", truststore.toString(),
            "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
        return new TestCertificates(keystore, truststore);
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        run(command, dir.resolve("keytool.log"), "keytool " + args[0]);
    }

    /** Runs {@code command} to its end (two minutes at most), its output in {@code log}; a non-zero exit is an exception. */
    static void run(List<String> command, Path log, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not finish; log: " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): " + Files.readString(log));
        }
    }
}
