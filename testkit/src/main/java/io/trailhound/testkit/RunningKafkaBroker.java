package io.trailhound.testkit;

/** A broker this process started and must stop. */
public interface RunningKafkaBroker extends KafkaBroker, AutoCloseable {
}
