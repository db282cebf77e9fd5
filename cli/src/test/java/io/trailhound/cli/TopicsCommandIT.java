package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.topic.Topics;

class TopicsCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final CliRun cli = new CliRun();

    @Test
    void shouldCreateEveryTopicWithItsSettingsAndLeaveExistingOnesAlone() throws Exception {
        assertEquals(0, cli.exec("topics", "--create", "--bootstrap-server", KAFKA.bootstrapServers()), cli.err());
        Set<String> names = KAFKA.admin().listTopics().names().get();
        assertTrue(names.containsAll(List.of(Topics.CLOUDTRAIL_RAW, Topics.ALERTS, Topics.INCIDENTS, Topics.DEADLETTER)), names.toString());

        ConfigResource incidents = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INCIDENTS);
        Config config = KAFKA.admin().describeConfigs(List.of(incidents)).all().get().get(incidents);
        assertEquals("compact", config.get("cleanup.policy").value());

        assertEquals(0, cli.exec("topics", "--create", "--bootstrap-server", KAFKA.bootstrapServers()), cli.err());
        assertTrue(cli.out().contains("Created 0 topic(s)"), cli.out());
    }

    @Test
    void shouldSayWhichAddressIsUnreachable() {
        String address = "127.0.0.1:" + FreePort.pick();
        assertEquals(2, cli.exec("topics", "--create", "--bootstrap-server", address));
        assertTrue(cli.err().contains("Cannot reach Kafka at " + address), cli.err());
    }
}
