package io.trailhound.respond.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

import io.trailhound.respond.ResponderConfig;

/** #17: the alert consumer is a static group member when {@code responder.group.instance.id} is set, a dynamic one otherwise. */
class StaticMembershipTest {

    @Test
    void shouldJoinAsADynamicMemberByDefault() {
        Map<String, Object> settings = ResponderEngine.consumerSettings(new ResponderConfig(Map.of()), "broker:9092");
        assertFalse(settings.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), settings.toString());
        assertEquals("trailhound-responder", settings.get(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Test
    void shouldTakeTheInstanceIdFromTheEnvironmentThroughKafkasConfigProvider() {
        // what the Kubernetes configuration does with ${env:HOSTNAME} (the pod name); PATH is set wherever this test runs
        ResponderConfig config = new ResponderConfig(Map.of("config.providers", "env",
            "config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            ResponderConfig.GROUP_INSTANCE_ID_CONFIG, "${env:PATH}"));
        Map<String, Object> settings = ResponderEngine.consumerSettings(config, "broker:9092");
        assertEquals(System.getenv("PATH"), settings.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    }

    @Test
    void shouldUseAFixedInstanceIdAsGiven() {
        Map<String, Object> settings = ResponderEngine.consumerSettings(new ResponderConfig(Map.of(
            ResponderConfig.GROUP_INSTANCE_ID_CONFIG, "responder-0")), "broker:9092");
        assertEquals("responder-0", settings.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
    }
}
