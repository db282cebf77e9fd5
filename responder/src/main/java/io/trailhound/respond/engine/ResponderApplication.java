package io.trailhound.respond.engine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.trailhound.ops.OperationsServer;
import io.trailhound.respond.ResponderConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Runs the responder as a process: {@code java io.trailhound.respond.engine.ResponderApplication responder.properties}. */
public final class ResponderApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ResponderApplication.class);

    private ResponderApplication() {
    }

    /** Starts the engine with the configuration file named by the first argument and runs until the JVM stops. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> props = new HashMap<>();
        if (args.length > 0) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(name -> props.put(name, file.getProperty(name)));
        }
        ResponderConfig config = new ResponderConfig(props);
        LOG.info("responder starting (dry run: {})", config.dryRun());
        CountDownLatch done = new CountDownLatch(1);
        ResponderEngine engine = new ResponderEngine(config, DefaultCredentialsProvider.builder().build(), Clock.systemUTC());
        OperationsServer http = new OperationsServer(config.getInt(ResponderConfig.HTTP_PORT_CONFIG), engine::problem, engine::isReady,
            engine.metrics()::scrape);
        LOG.info("health and metrics on port {}", http.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                http.close();
                engine.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        }, "trailhound-responder-shutdown"));
        engine.start();
        done.await();
    }
}
