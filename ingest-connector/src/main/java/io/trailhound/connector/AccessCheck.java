package io.trailhound.connector;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The access checks of the connectors' {@code validate()}: run on a daemon thread and bounded by
 * {@code validate.timeout.ms}, so an unreachable endpoint becomes a message on the setting instead of a hung REST call.
 */
public final class AccessCheck {

    private AccessCheck() {
    }

    /** Whether the definition-level validation found nothing wrong (access is only checked on a clean configuration). */
    public static boolean clean(Config result) {
        return result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
    }

    /** The validation entry of key {@code name}, to attach an access problem to. */
    public static Optional<ConfigValue> valueOf(Config result, String name) {
        return result.configValues().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * Runs {@code check} for at most {@code timeout}; its problem, a timeout naming {@code what}, or the unexpected error,
     * as a message; empty when access is fine.
     */
    public static Optional<String> within(Duration timeout, String what, Callable<Optional<String>> check) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "trailhound-validate");
            thread.setDaemon(true);
            return thread;
        });
        Future<Optional<String>> future = executor.submit(check);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("No answer from " + what + " within " + timeout.toMillis() + " ms (validate.timeout.ms): check the "
                + "network path and the endpoint settings");
        } catch (ExecutionException e) {
            return Optional.of("Could not check access to " + what + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("Interrupted while checking access to " + what);
        } finally {
            executor.shutdownNow();
        }
    }
}
