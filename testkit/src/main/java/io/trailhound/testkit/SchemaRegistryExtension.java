package io.trailhound.testkit;

/**
 * JUnit 5 extension running a real schema registry ({@link SchemaRegistryProcess}) for a test class or method.
 * {@link #stopRegistry()} and {@link #restartRegistry()} let a test see what clients do while it is down.
 *
 * <p>The registry process is shared by every extension of the test JVM (its start-up is a few seconds of both cores, paid
 * once per JVM instead of once per test class): the first extension starts it, the JVM's exit kills it. Subjects and ids
 * are therefore those of the whole JVM; tests register and look up their schemas and never assume an empty registry.
 * A test that stops the registry takes it out of sharing: it gets its own process on restart and the next extension
 * starts a new shared one.
 */
public class SchemaRegistryExtension extends ComponentExtension {

    /** The JVM's shared registry, or null before the first start and after a test stopped it. */
    private static SchemaRegistryProcess shared;

    private SchemaRegistryProcess registry;
    private boolean sharing;
    private int port;

    @Override
    protected void start() throws Exception {
        registry = sharedRegistry();
        sharing = true;
        port = registry.port();
    }

    private static synchronized SchemaRegistryProcess sharedRegistry() throws Exception {
        if (shared == null || !shared.isAlive()) {
            shared = SchemaRegistryProcess.start();
        }
        return shared;
    }

    private static synchronized void unshare(SchemaRegistryProcess process) {
        if (shared == process) {
            shared = null;
        }
    }

    @Override
    protected void stop() throws Exception {
        if (registry != null && !sharing) {
            registry.close();
        }
        registry = null;
        sharing = false;
    }

    /** Base URL of Confluent's REST API, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String url() {
        requireRunning();
        return "http://127.0.0.1:" + port + SchemaRegistryProcess.CCOMPAT_PATH;
    }

    /** Kills the registry process; its URL stays the same and refuses connections until {@link #restartRegistry()}. */
    public void stopRegistry() throws InterruptedException {
        requireRunning();
        if (registry != null) {
            unshare(registry);
            sharing = false;
            registry.close();
            registry = null;
        }
    }

    /** Starts the registry again on the same port (state is in memory, so it comes back empty). */
    public void restartRegistry() throws Exception {
        requireRunning();
        stopRegistry();
        registry = SchemaRegistryProcess.start(port);
    }
}
