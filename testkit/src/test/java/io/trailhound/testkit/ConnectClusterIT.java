package io.trailhound.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.connect.integration.TestableSourceConnector;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real Connect worker runs a source connector and its records reach the cluster's broker. */
class ConnectClusterIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension().withExactlyOnceSource();

    @Test
    void shouldRunASourceConnectorOnARealWorker() throws Exception {
        CONNECT.cluster().kafka().createTopic("connect.sample", 1);
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", TestableSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put(TestableSourceConnector.TOPIC_CONFIG, "connect.sample");
        config.put(TestableSourceConnector.MESSAGES_PER_POLL_CONFIG, "10");
        config.put(TestableSourceConnector.MAX_MESSAGES_PER_SECOND_CONFIG, "100");
        config.put(TestableSourceConnector.MAX_MESSAGES_PRODUCED_CONFIG, "30");
        config.put("key.converter", StringConverter.class.getName());
        config.put("value.converter", StringConverter.class.getName());
        CONNECT.cluster().configureConnector("sample", config);

        CONNECT.awaitRunning("sample", 1);
        ConsumerRecords<byte[], byte[]> records = CONNECT.cluster().kafka().consume(30, 60_000, "connect.sample");

        assertEquals(30, records.count());
    }
}
