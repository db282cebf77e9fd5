package io.trailhound.testkit;

/**
 * JUnit 5 extension running a real schema registry ({@link SchemaRegistryProcess}) for a test class or method.
 * {@link #stopRegistry()} and {@link #restartRegistry()} let a test see what clients do while it is down.
 */
public class SchemaRegistryExtension extends ComponentExtension {

    private SchemaRegistryProcess registry;
    private int port;

    @Override
    protected void start() throws Exception {
        registry = SchemaRegistryProcess.start();
        port = registry.port();
    }

    @Override
    protected void stop() throws Exception {
        if (registry != null) {
            registry.close();
            registry = null;
        }
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
