package io.trailhound.respond.safety;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final Instant T0 = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void shouldTripAfterNActionsInAMinuteAndStayOpenForTheCoolDown() {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofMinutes(10));
        assertTrue(breaker.tryAcquire("A", T0));
        assertTrue(breaker.tryAcquire("A", T0.plusSeconds(10)));
        assertTrue(breaker.tryAcquire("A", T0.plusSeconds(20)));
        assertFalse(breaker.tryAcquire("A", T0.plusSeconds(30)), "fourth action within a minute trips the breaker");
        assertTrue(breaker.isOpen("A", T0.plusSeconds(31)));
        assertFalse(breaker.tryAcquire("A", T0.plusSeconds(200)), "still open: a quiet minute does not close it");
        assertTrue(breaker.tryAcquire("A", T0.plusSeconds(30).plus(Duration.ofMinutes(10))), "closed after the cool-down");
    }

    @Test
    void shouldCountPerAccount() {
        CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofMinutes(10));
        assertTrue(breaker.tryAcquire("A", T0));
        assertFalse(breaker.tryAcquire("A", T0.plusSeconds(1)));
        assertTrue(breaker.tryAcquire("B", T0.plusSeconds(1)), "another account is unaffected");
    }

    @Test
    void shouldForgetActionsOlderThanAMinute() {
        CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofMinutes(10));
        assertTrue(breaker.tryAcquire("A", T0));
        assertTrue(breaker.tryAcquire("A", T0.plusSeconds(30)));
        assertTrue(breaker.tryAcquire("A", T0.plusSeconds(61)), "the first action left the window");
        assertFalse(breaker.tryAcquire("A", T0.plusSeconds(62)));
    }
}
