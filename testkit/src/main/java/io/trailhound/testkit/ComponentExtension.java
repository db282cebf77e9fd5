package io.trailhound.testkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

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

    /**
     * How long a component may take to stop. JUnit's test timeouts do not cover extension callbacks, and a broker or Connect
     * cluster that hangs in shutdown must not hold the build: past this the component is left behind (its threads are
     * abandoned, the test JVM exits anyway) with a warning and the stuck thread's stack, and the tests go on.
     */
    static final Duration STOP_LIMIT = Duration.ofSeconds(120);

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
            stopWithin(STOP_LIMIT);
            throw e;
        }
    }

    private void stopOnce() throws Exception {
        if (running) {
            running = false;
            stopWithin(STOP_LIMIT);
        }
    }

    /** Runs {@link #stop()} on its own thread and waits at most {@code limit}; returns whether it finished. */
    boolean stopWithin(Duration limit) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                stop();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, getClass().getSimpleName() + "-stop");
        stopper.setDaemon(true);
        stopper.start();
        stopper.join(limit.toMillis());
        if (stopper.isAlive()) {
            String stack = Arrays.stream(stopper.getStackTrace()).map(frame -> "\tat " + frame).collect(Collectors.joining("\n"));
            System.err.println("WARN " + getClass().getSimpleName() + " did not stop within " + limit.toMillis()
                + " ms; leaving it behind. The stopping thread is at:\n" + stack);
            return false;
        }
        Throwable thrown = failure.get();
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        return true;
    }
}
