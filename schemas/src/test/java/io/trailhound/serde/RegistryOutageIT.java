package io.trailhound.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.avro.Alert;
import io.trailhound.testkit.SchemaRegistryExtension;

/** What the serdes do when the real registry goes away: known schemas keep working, new lookups fail naming URL and attempts. */
class RegistryOutageIT {

    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension();

    @Test
    void shouldServeCachedSchemasDuringAnOutageAndNameTheRegistryWhenItCannot() throws Exception {
        Map<String, Object> config = RestSchemaRegistryClientTest.config(REGISTRY.url(), 2);
        AvroSerde<Alert> serde = new AvroSerde<>(Alert.class);
        serde.configure(config, false);
        Alert alert = TestRecords.alert("a-outage");
        byte[] bytes = serde.serializer().serialize("outage.alerts", alert);
        serde.deserializer().deserialize("outage.alerts", bytes);

        REGISTRY.stopRegistry();
        try {
            assertEquals(alert, serde.deserializer().deserialize("outage.alerts", bytes), "a cached writer schema needs no registry");
            assertEquals(bytes.length, serde.serializer().serialize("outage.alerts", alert).length, "a cached id needs no registry");

            SerializationException read = assertThrows(SerializationException.class,
                    () -> serde.deserializer().deserialize("outage.alerts", WireFormat.header(4242)));
            SerializationException write = assertThrows(SerializationException.class,
                    () -> serde.serializer().serialize("outage.other", alert));

            assertTrue(read.getMessage().contains("unreachable: GET /schemas/ids/4242 failed after 3 attempts against ["
                    + REGISTRY.url() + "]"), read.getMessage());
            assertTrue(write.getMessage().startsWith("Schema io.trailhound.avro.Alert could not be registered under subject "
                    + "outage.other-value"), write.getMessage());
        } finally {
            REGISTRY.restartRegistry();
        }
        assertEquals(bytes.length, serde.serializer().serialize("outage.other", alert).length, "recovers once the registry is back");
    }
}
