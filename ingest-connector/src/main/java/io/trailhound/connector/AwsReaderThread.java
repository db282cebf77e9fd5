package io.trailhound.connector;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A source task's reader thread, so that no AWS call runs on Connect's poll thread: {@link #read()} calls AWS through
 * {@link #call}, which classifies a failure with {@link AwsFailure} and retries it in place with {@link AwsRetries}' backoff or
 * throws {@link AwsCallFailedException}, and hands records to the task's bounded queue with {@link #put}. A failure that ends
 * the reading is kept as the reason the task fails with ({@link #failure()}); {@link #stop()} ends it at its next check, at
 * most one call or one queue offer later.
 */
public abstract class AwsReaderThread implements Runnable {

    private static final long OFFER_WAIT_MS = 100;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String source;
    private final String reading;
    private final BlockingQueue<SourceRecord> queue;
    private final AwsRetries retries;
    private volatile boolean running = true;
    private volatile String failure;

    /**
     * @param source  the source as log lines name it, e.g. {@code GuardDuty source}
     * @param reading what it reads, for an unexpected error's reason, e.g. {@code reading GuardDuty findings}
     * @param queue   the task's bounded queue
     * @param retries the task's retry policy and backoff
     */
    protected AwsReaderThread(String source, String reading, BlockingQueue<SourceRecord> queue, AwsRetries retries) {
        this.source = source;
        this.reading = reading;
        this.queue = queue;
        this.retries = retries;
    }

    /** Reads until stopped or failed; an interruption is a stop. */
    protected abstract void read() throws InterruptedException;

    @Override
    public final void run() {
        try {
            read();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (AwsCallFailedException e) {
            stopWith(e.getMessage(), null);
        } catch (RuntimeException e) {
            // A bug or an answer nobody foresaw: fail the task with the reason rather than leave poll() waiting forever. (An
            // interrupted SDK call while stopping ends in a CancellationException or AbortedException: no failure then.)
            if (running) {
                stopWith("Unexpected error " + reading + ": " + e, e);
            }
        }
    }

    /** Asks the reader to end; it stops at its next check (at most one call or one queue offer later). */
    public final void stop() {
        running = false;
    }

    /** The reason the reader stopped on its own, if it did. */
    public final Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the reader should go on. */
    protected final boolean running() {
        return running;
    }

    private void stopWith(String reason, RuntimeException error) {
        failure = reason;
        running = false;
        if (error == null) {
            log.error("{} stopping: {}", source, reason);
        } else {
            log.error("{} stopping: {}", source, reason, error);
        }
    }

    /** What a reader makes of a failed call before it is retried or thrown: it may throw {@code E} instead. */
    @FunctionalInterface
    protected interface FailureCheck<E extends Exception> {
        void check(AwsFailure classified, SdkException error) throws E;
    }

    /** Runs a call until it succeeds; retryable failures back off, others throw {@link AwsCallFailedException}. */
    protected final <T> T call(Supplier<T> call, AwsCall what) throws InterruptedException {
        return callChecked(call, what, (classified, error) -> { });
    }

    /** As {@link #call(Supplier, AwsCall)}, with {@code check} seeing each classified failure first. */
    protected final <T, E extends Exception> T callChecked(Supplier<T> call, AwsCall what, FailureCheck<E> check)
        throws InterruptedException, E {
        while (true) {
            try {
                T result = call.get();
                retries.succeeded();
                return result;
            } catch (SdkException e) {
                if (!running) {
                    throw new InterruptedException("stopping");
                }
                AwsFailure classified = AwsFailure.of(e, what);
                check.check(classified, e);
                pause(retries.retryOrFail(classified, e));
            }
        }
    }

    /** Queues {@code record}, waiting while the queue is full; a stop meanwhile is an interruption. */
    protected final void put(SourceRecord record) throws InterruptedException {
        while (running) {
            if (queue.offer(record, OFFER_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
        throw new InterruptedException("stopping");
    }

    /** Sleeps for {@code duration}, or until stopped. */
    protected final void pause(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(OFFER_WAIT_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }
}
