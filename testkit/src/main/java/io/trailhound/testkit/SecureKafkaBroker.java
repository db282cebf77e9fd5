package io.trailhound.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft Kafka broker (combined broker and controller, Kafka's own {@code kafka.Kafka} main) in a child JVM whose client
 * listener requires SASL/SCRAM-SHA-512 over TLS, as a Strimzi cluster's TLS+SCRAM listener does. Its certificate is
 * self-signed for {@code localhost}/{@code 127.0.0.1} (made with the JDK's {@code keytool}); the SCRAM users are created
 * when its storage is formatted. Clients get their settings from {@link #clientSettings(String, String)}.
 */
public final class SecureKafkaBroker implements KafkaBroker, AutoCloseable {

    /** SCRAM user with every right, used by {@link #admin()}. */
    public static final String ADMIN_USER = "admin";
    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final Logger LOG = LoggerFactory.getLogger(SecureKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final String STORE_PASSWORD = TestCertificates.STORE_PASSWORD;

    private final Path dir;
    private final int port;
    private final Map<String, String> users;
    private final Path truststore;
    private Process process;
    private Admin admin;

    private SecureKafkaBroker(Path dir, int port, Map<String, String> users, Path truststore) {
        this.dir = dir;
        this.port = port;
        this.users = Map.copyOf(users);
        this.truststore = truststore;
    }

    /**
     * Formats and starts the broker with the SCRAM users {@code users} (name → password) plus {@link #ADMIN_USER}, and waits
     * until the admin user can describe the cluster over SASL_SSL.
     */
    public static SecureKafkaBroker start(Map<String, String> users) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("trailhound-secure-kafka-");
        Map<String, String> all = new TreeMap<>(users);
        all.putIfAbsent(ADMIN_USER, "admin-secret-" + Long.toHexString(System.nanoTime()));
        TestCertificates certificates = TestCertificates.create(dir, "broker");
        SecureKafkaBroker broker = new SecureKafkaBroker(dir, FreePort.pick(), all, certificates.truststore());
        Path config = broker.writeConfig(certificates.keystore());
        broker.format(config);
        broker.launch(config);
        return broker;
    }

    /** The SASL_SSL bootstrap address. */
    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * What a client needs to connect as {@code user}: {@code bootstrap.servers}, {@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config} and the TLS trust store (PKCS12) that holds the broker's certificate.
     */
    public Map<String, String> clientSettings(String user, String password) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", MECHANISM);
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user + "\" password=\"" + password + "\";");
        settings.put("ssl.truststore.location", truststore.toString());
        settings.put("ssl.truststore.password", STORE_PASSWORD);
        settings.put("ssl.truststore.type", "PKCS12");
        return settings;
    }

    /** {@link #clientSettings(String, String)} of a user this broker was started with. */
    public Map<String, String> clientSettings(String user) {
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SCRAM user " + user + "; users: " + users.keySet());
        }
        return clientSettings(user, password);
    }

    @Override
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(new LinkedHashMap<>(clientSettings(ADMIN_USER)));
        }
        return admin;
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> config) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
    }

    /** The broker's log, for a failing test's message. */
    public Path logFile() {
        return dir.resolve("broker.log");
    }

    private Path writeConfig(Path keystore) throws IOException {
        int controller = FreePort.pick();
        int internal = FreePort.pick();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internal + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internal);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", STORE_PASSWORD);
        p.put("ssl.key.password", STORE_PASSWORD);
        p.put("ssl.keystore.type", "PKCS12");
        p.put("log.dirs", dir.resolve("data").toString());
        p.putAll(EmbeddedKafkaBroker.singleNodeDefaults());
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, "Trailhound test broker: SASL/SCRAM over TLS for clients");
        }
        return config;
    }

    private void format(Path config) throws IOException, InterruptedException {
        List<String> command = java("kafka.tools.StorageTool");
        command.addAll(List.of("format", "--cluster-id", "trailhoundSecureTest0", "--config", config.toString(), "--ignore-formatted"));
        for (Map.Entry<String, String> user : users.entrySet()) {
            command.add("--add-scram");
            command.add(MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]");
        }
        TestCertificates.run(command, dir.resolve("format.log"), "formatting the secure broker's storage");
    }

    private void launch(Path config) throws IOException, InterruptedException {
        List<String> command = java("kafka.Kafka");
        command.add(config.toString());
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile().toFile()).start();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the secure broker exited with " + process.exitValue() + "; log: " + logFile());
            }
            try {
                admin().describeCluster().nodes().get(5, TimeUnit.SECONDS);
                LOG.info("secure Kafka broker (SASL_SSL, {}) at {}", MECHANISM, bootstrapServers());
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
                Thread.sleep(500);
            }
        }
        close();
        throw new IllegalStateException("the secure broker did not answer within " + READY_TIMEOUT + "; log: " + logFile());
    }

    private static List<String> java(String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", root, e.toString());
        }
    }
}
