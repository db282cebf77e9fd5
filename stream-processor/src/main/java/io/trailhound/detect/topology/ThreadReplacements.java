package io.trailhound.detect.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies of something that is not about one record (those are dead-lettered by
 * {@link DeadLetterHandler}): replace the thread, but at most {@link #MAX} times within {@link #PERIOD}; beyond that the
 * failure is not transient, so the client shuts down, its state becomes ERROR and liveness fails, and Kubernetes restarts the
 * pod instead of a thread dying in a loop unseen (#17).
 */
final class ThreadReplacements implements StreamsUncaughtExceptionHandler {

    static final int MAX = 3;
    static final Duration PERIOD = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacements.class);

    private final Clock clock;
    private final Deque<Long> recent = new ArrayDeque<>();

    ThreadReplacements(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = clock.millis();
        while (!recent.isEmpty() && now - recent.peekFirst() > PERIOD.toMillis()) {
            recent.removeFirst();
        }
        if (recent.size() >= MAX) {
            LOG.error("stream thread failed for the {}th time within {}: shutting the client down (liveness fails): {}", MAX + 1,
                    PERIOD, exception.toString(), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        LOG.error("stream thread failed, replacing it ({} of {} within {}): {}", recent.size(), MAX, PERIOD, exception.toString(),
                exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
