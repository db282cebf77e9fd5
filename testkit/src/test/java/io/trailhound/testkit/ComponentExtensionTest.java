package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ComponentExtensionTest {

    @Test
    void shouldGiveUpOnAComponentThatHangsInStopInsteadOfHangingTheBuild() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Component hung = new Component(() -> never.await());
        long started = System.nanoTime();
        assertFalse(hung.stopWithin(Duration.ofMillis(300)), "a stop that does not return is reported, not waited for");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void shouldPassOnWhatAStopThrows() {
        Component failing = new Component(() -> {
            throw new IllegalStateException("port still bound");
        });
        assertEquals("port still bound", assertThrows(IllegalStateException.class, () -> failing.stopWithin(Duration.ofSeconds(5)))
            .getMessage());
    }

    @Test
    void shouldReportAStopThatFinished() throws Exception {
        int[] stops = {0};
        Component fine = new Component(() -> stops[0]++);
        assertTrue(fine.stopWithin(Duration.ofSeconds(5)));
        assertEquals(1, stops[0]);
    }

    private interface Body {
        void run() throws Exception;
    }

    private static final class Component extends ComponentExtension {
        private final Body stop;

        Component(Body stop) {
            this.stop = stop;
        }

        @Override
        protected void start() {
        }

        @Override
        protected void stop() throws Exception {
            stop.run();
        }
    }
}
