package io.trailhound.cli;

import java.io.IOException;
import java.time.Duration;

import io.trailhound.testkit.SchemaRegistryProcess;

/** The schema registry of {@code trailhound bench faults}: one child process for the whole run, which can be taken away. */
final class FaultBenchRegistry implements AutoCloseable {

    private final int port;
    private SchemaRegistryProcess process;

    FaultBenchRegistry() throws IOException, InterruptedException {
        this.process = SchemaRegistryProcess.start();
        this.port = process.port();
    }

    String url() {
        return process.url();
    }

    /** Stops the registry, waits {@code outage} and starts it again on the same port. */
    void down(Duration outage) throws IOException, InterruptedException {
        process.close();
        Thread.sleep(outage.toMillis());
        process = SchemaRegistryProcess.start(port);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
