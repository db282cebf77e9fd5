package io.trailhound.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * JUnit 5 extension running a real Kafka Connect cluster in this JVM (distributed workers on random loopback ports)
 * on its own real KRaft broker, using Kafka's embedded Connect cluster.
 */
public class ConnectClusterExtension extends ComponentExtension {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

    private final Map<String, String> workerProps = new HashMap<>();
    private int workers = 1;
    private EmbeddedConnectCluster cluster;

    /** Sets the number of workers; call before the extension starts. */
    public ConnectClusterExtension withWorkers(int count) {
        workers = count;
        return this;
    }

    /** Overrides a worker setting; call before the extension starts. */
    public ConnectClusterExtension withWorkerProperty(String key, String value) {
        workerProps.put(key, value);
        return this;
    }

    /** Turns on exactly-once source support (KIP-618) on every worker. */
    public ConnectClusterExtension withExactlyOnceSource() {
        return withWorkerProperty("exactly.once.source.support", "enabled");
    }

    @Override
    protected void start() {
        Map<String, String> props = new HashMap<>();
        props.put("offset.flush.interval.ms", "1000");
        props.put("scheduled.rebalance.max.delay.ms", "1000");
        // plugins found through their ServiceLoader manifests (ours has them), as the demo's worker finds them: the default
        // (hybrid_warn) also scans the whole class path with ClassGraph at every worker start, which held hundreds of MB of
        // class metadata in the test JVM and once took the ingest-connector ITs' 1 GB heap over the edge mid-test
        props.put("plugin.discovery", "service_load");
        props.putAll(workerProps);
        Properties broker = new Properties();
        broker.putAll(EmbeddedKafkaBroker.singleNodeDefaults());
        broker.put("auto.create.topics.enable", "true");
        cluster = new EmbeddedConnectCluster.Builder()
            .name("trailhound-connect")
            .numWorkers(workers)
            .numBrokers(1)
            .brokerProps(broker)
            .workerProps(props)
            .maskExitProcedures(true)
            .build();
        cluster.start();
    }

    @Override
    protected void stop() {
        if (cluster != null) {
            cluster.stop();
            cluster = null;
        }
    }

    /** The underlying Connect cluster: REST calls, worker restarts, offsets. */
    public EmbeddedConnectCluster cluster() {
        requireRunning();
        return cluster;
    }

    /** Bootstrap address of the cluster's broker. */
    public String bootstrapServers() {
        return cluster().kafka().bootstrapServers();
    }

    /** Waits until the connector and {@code tasks} tasks are RUNNING, failing with the last status seen. */
    public ConnectorStateInfo awaitRunning(String connector, int tasks) throws InterruptedException {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        String last = "no status";
        while (System.nanoTime() < deadline) {
            try {
                ConnectorStateInfo info = cluster().connectorStatus(connector);
                last = describe(info);
                long running = info.tasks().stream().filter(t -> "RUNNING".equals(t.state())).count();
                if ("RUNNING".equals(info.connector().state()) && running == tasks) {
                    return info;
                }
            } catch (RuntimeException notYet) {
                last = notYet.getMessage();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Connector " + connector + " not RUNNING with " + tasks + " task(s) after " + DEFAULT_WAIT + ": " + last);
    }

    private static String describe(ConnectorStateInfo info) {
        StringBuilder text = new StringBuilder("connector=").append(info.connector().state());
        info.tasks().forEach(t -> text.append(", task ").append(t.id()).append('=').append(t.state())
            .append(t.trace() == null ? "" : " (" + t.trace().lines().findFirst().orElse("") + ")"));
        return text.toString();
    }
}
