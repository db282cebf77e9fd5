package io.trailhound.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The broker contract on an Apache Kafka container; skipped cleanly where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class DockerKafkaBrokerIT extends KafkaBrokerContract {

    @RegisterExtension
    static final DockerKafkaBrokerExtension KAFKA = new DockerKafkaBrokerExtension();

    @Override
    KafkaBroker broker() {
        return KAFKA;
    }
}
