package io.trailhound.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lifecycle shared by every test-kit component: registered as a static field it lives for the test class,
 * as an instance field for each test method.
 */
public abstract class ComponentExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private boolean classScoped;
    private boolean running;

    /** Starts the component; called once per scope. */
    protected abstract void start() throws Exception;

    /** Stops the component and releases its ports and files; must be safe to call after a failed start. */
    protected abstract void stop() throws Exception;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        classScoped = true;
        startOnce();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopOnce();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!classScoped) {
            startOnce();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!classScoped) {
            stopOnce();
        }
    }

    /** Whether the component is up. */
    public boolean isRunning() {
        return running;
    }

    /** Fails with a clear message when a test uses the component outside its lifecycle. */
    protected void requireRunning() {
        if (!running) {
            throw new IllegalStateException(getClass().getSimpleName()
                + " is not running: register it with @RegisterExtension (static for per-class, instance for per-test)");
        }
    }

    private void startOnce() throws Exception {
        if (running) {
            return;
        }
        try {
            start();
            running = true;
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    private void stopOnce() throws Exception {
        if (running) {
            running = false;
            stop();
        }
    }
}
