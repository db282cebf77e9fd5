package io.trailhound.testkit;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

/**
 * JUnit 5 extension running a real in-JVM KRaft broker ({@link EmbeddedKafkaBroker}) for a test class or method.
 */
public class KafkaBrokerExtension extends ComponentExtension implements KafkaBroker {

    private final Map<String, String> overrides = new HashMap<>();
    private RunningKafkaBroker broker;

    /** Overrides a broker setting; call before the extension starts. */
    public KafkaBrokerExtension withBrokerProperty(String key, String value) {
        overrides.put(key, value);
        return this;
    }

    @Override
    protected void start() throws Exception {
        broker = startBroker(Map.copyOf(overrides));
    }

    /** Starts the broker; a subclass may start it elsewhere (e.g. in a container). */
    protected RunningKafkaBroker startBroker(Map<String, String> brokerOverrides) throws Exception {
        return EmbeddedKafkaBroker.start(brokerOverrides);
    }

    @Override
    protected void stop() throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    /**
     * Takes the broker down for {@code downFor} and brings it back on the same address with its data (a broker restart as
     * clients see it). Only the in-JVM broker can do this.
     */
    public void outage(java.time.Duration downFor) throws Exception {
        requireRunning();
        if (!(broker instanceof EmbeddedKafkaBroker embedded)) {
            throw new UnsupportedOperationException("only the in-JVM broker can be stopped and restarted");
        }
        embedded.stopBroker();
        Thread.sleep(downFor.toMillis());
        embedded.startBrokerAgain();
    }

    @Override
    public String bootstrapServers() {
        requireRunning();
        return broker.bootstrapServers();
    }

    @Override
    public Admin admin() {
        requireRunning();
        return broker.admin();
    }

    @Override
    public void createTopic(String name, int partitions, Map<String, String> config) {
        requireRunning();
        broker.createTopic(name, partitions, config);
    }
}
