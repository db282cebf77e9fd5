package io.trailhound.respond.safety;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Limits automatic containment per account: at most N actions in any sliding minute. Once the limit is hit the breaker
 * opens for that account and every further containment action waits for approval until the cool-down has passed.
 * Thread-safe.
 */
public final class CircuitBreaker {

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int maxPerMinute;
    private final Duration coolDown;
    private final Map<String, Deque<Instant>> recent = new HashMap<>();
    private final Map<String, Instant> openUntil = new HashMap<>();

    /**
     * @param maxPerMinute containment actions allowed per account in a sliding minute
     * @param coolDown     how long the breaker stays open once tripped
     */
    public CircuitBreaker(int maxPerMinute, Duration coolDown) {
        if (maxPerMinute < 1) {
            throw new IllegalArgumentException("circuit breaker limit must be at least 1, was " + maxPerMinute);
        }
        this.maxPerMinute = maxPerMinute;
        this.coolDown = coolDown;
    }

    /**
     * Takes one automatic containment action for {@code accountId} at {@code now}; false when the breaker is or becomes open,
     * in which case the action must wait for approval.
     */
    public synchronized boolean tryAcquire(String accountId, Instant now) {
        if (isOpen(accountId, now)) {
            return false;
        }
        Deque<Instant> times = recent.computeIfAbsent(accountId, account -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
            times.removeFirst();
        }
        if (times.size() >= maxPerMinute) {
            openUntil.put(accountId, now.plus(coolDown));
            times.clear();
            return false;
        }
        times.addLast(now);
        return true;
    }

    /** Replays an automatic containment action taken at {@code time} (rebuilding the state after a restart). */
    public synchronized void restoreAcquired(String accountId, Instant time) {
        if (isOpen(accountId, time)) {
            return;
        }
        Deque<Instant> times = recent.computeIfAbsent(accountId, account -> new ArrayDeque<>());
        times.addLast(time);
        while (!times.isEmpty() && !times.peekFirst().isAfter(time.minus(WINDOW))) {
            times.removeFirst();
        }
    }

    /** Replays the breaker having refused an action at {@code time}: it opened then unless it was open already. */
    public synchronized void restoreRefused(String accountId, Instant time) {
        if (!isOpen(accountId, time)) {
            openUntil.put(accountId, time.plus(coolDown));
            recent.remove(accountId);
        }
    }

    /** Whether automatic containment in {@code accountId} is suspended at {@code now}. */
    public synchronized boolean isOpen(String accountId, Instant now) {
        Instant until = openUntil.get(accountId);
        return until != null && now.isBefore(until);
    }

    /** The configured limit per account and minute. */
    public int maxPerMinute() {
        return maxPerMinute;
    }
}
