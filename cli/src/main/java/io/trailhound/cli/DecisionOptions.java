package io.trailhound.cli;

import java.time.Instant;

import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.respond.engine.ApprovalQueue;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code approve} and {@code reject} share: which request, who decides and why, and publishing the decision. */
final class DecisionOptions {

    @Parameters(index = "0", paramLabel = "ID", description = "Request id or action id of the pending approval.")
    private String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
    private String reason;

    @Option(names = "--as", paramLabel = "APPROVER", defaultValue = "${sys:user.name}",
        description = "Who decides (default: ${DEFAULT-VALUE}).")
    private String approver;

    /** Publishes {@code decision} on the approvals topic and reports it; 1 when the id is unknown, 2 when Kafka is unreachable. */
    int publish(CommandSpec spec, KafkaOptions kafka, Decision decision) {
        try (ApprovalQueue queue = new ApprovalQueue(kafka.topics().approvals(), kafka.bootstrapServers())) {
            ApprovalDecision published = queue.decide(id, decision, approver, reason, Instant.now());
            spec.commandLine().getOut().printf("%s %s (action %s) as %s%n", decision == Decision.APPROVED ? "Approved" : "Rejected",
                published.getRequestId(), published.getActionId(), approver);
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage() + "; 'trailhound approvals' lists the pending ones");
            return 1;
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().printf("Cannot reach the approvals topic at %s: %s%n", kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
    }
}
