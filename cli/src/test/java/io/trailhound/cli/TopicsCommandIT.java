package io.trailhound.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.trailhound.testkit.FreePort;
import io.trailhound.testkit.KafkaBrokerExtension;
import io.trailhound.topic.Topics;
import picocli.CommandLine;

class TopicsCommandIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Trailhound.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldCreateEveryTopicWithItsSettingsAndLeaveExistingOnesAlone() throws Exception {
        assertEquals(0, run("topics", "--create", "--bootstrap-server", KAFKA.bootstrapServers()), err.toString());
        Set<String> names = KAFKA.admin().listTopics().names().get();
        assertTrue(names.containsAll(List.of(Topics.CLOUDTRAIL_RAW, Topics.ALERTS, Topics.INCIDENTS, Topics.DEADLETTER)), names.toString());

        ConfigResource incidents = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INCIDENTS);
        Config config = KAFKA.admin().describeConfigs(List.of(incidents)).all().get().get(incidents);
        assertEquals("compact", config.get("cleanup.policy").value());

        assertEquals(0, run("topics", "--create", "--bootstrap-server", KAFKA.bootstrapServers()), err.toString());
        assertTrue(out.toString().contains("Created 0 topic(s)"), out.toString());
    }

    @Test
    void shouldSayWhichAddressIsUnreachable() {
        String address = "127.0.0.1:" + FreePort.pick();
        assertEquals(2, run("topics", "--create", "--bootstrap-server", address));
        assertTrue(err.toString().contains("Cannot reach Kafka at " + address), err.toString());
    }
}
