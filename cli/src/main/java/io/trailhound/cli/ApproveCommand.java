package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.respond.engine.ApprovalQueue;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailhound approve ID}: approves a pending response action, which the responder then carries out. */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Approve a pending response action (by request id or action id; see 'trailhound approvals').")
final class ApproveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Request id or action id of the pending approval.")
    private String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
    private String reason;

    @Option(names = "--as", paramLabel = "APPROVER", defaultValue = "${sys:user.name}",
        description = "Who decides (default: ${DEFAULT-VALUE}).")
    private String approver;

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
        return decide(spec, bootstrapServers, registryUrl, id, Decision.APPROVED, approver, reason);
    }

    /** Publishes a decision and reports it; shared with {@code reject}. */
    static int decide(CommandSpec spec, String bootstrap, String registry, String id, Decision decision, String approver,
                      String reason) {
        Topics topics = new Topics(Map.of("schema.registry.url", registry));
        PrintWriter out = spec.commandLine().getOut();
        try (ApprovalQueue queue = new ApprovalQueue(topics.approvals(), bootstrap)) {
            ApprovalDecision published = queue.decide(id, decision, approver, reason, Instant.now());
            out.printf("%s %s (action %s) as %s%n", decision == Decision.APPROVED ? "Approved" : "Rejected",
                published.getRequestId(), published.getActionId(), approver);
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage() + "; 'trailhound approvals' lists the pending ones");
            return 1;
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().printf("Cannot reach the approvals topic at %s: %s%n", bootstrap, e.getMessage());
            return 2;
        }
    }
}
