package io.trailhound.testkit;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract on the in-JVM KRaft broker: this is what runs on machines without Docker. */
class EmbeddedKafkaBrokerIT extends KafkaBrokerContract {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Override
    KafkaBroker broker() {
        return KAFKA;
    }
}
