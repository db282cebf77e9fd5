package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalRequest;
import io.trailhound.respond.engine.ApprovalQueue;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trailhound approvals}: lists the response actions waiting for a human decision. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
    description = "List pending approval requests of the responder (not decided, not expired), oldest first.")
final class ApprovalsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT",
        defaultValue = "${env:TRAILHOUND_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
        description = "Kafka bootstrap servers (env TRAILHOUND_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    private String bootstrapServers;

    @Option(names = "--schema-registry", paramLabel = "URL",
        defaultValue = "${env:TRAILHOUND_SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}",
        description = "Schema registry URL (env TRAILHOUND_SCHEMA_REGISTRY_URL; default: ${DEFAULT-VALUE}).")
    private String registryUrl;

    @Override
    public Integer call() {
        Topics topics = new Topics(Map.of("schema.registry.url", registryUrl));
        PrintWriter out = spec.commandLine().getOut();
        try (ApprovalQueue queue = new ApprovalQueue(topics.approvals(), bootstrapServers)) {
            List<ApprovalRequest> pending = queue.pending(Instant.now());
            out.printf("%-36s %-24s %-40s %-20s %s%n", "REQUEST", "ACTION", "RESOURCE", "EXPIRES", "REASON");
            for (ApprovalRequest request : pending) {
                out.printf("%-36s %-24s %-40s %-20s %s%n", request.getRequestId(), request.getAwsAction(), request.getResource(),
                    request.getExpiresAt(), request.getReason());
            }
            out.printf("%d pending%n", pending.size());
            return 0;
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().printf("Cannot read the approvals topic at %s: %s%n", bootstrapServers, e.getMessage());
            return 2;
        }
    }
}
