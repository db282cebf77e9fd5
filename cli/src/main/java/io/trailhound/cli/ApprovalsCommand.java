package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalRequest;
import io.trailhound.respond.engine.ApprovalQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code trailhound approvals}: lists the response actions waiting for a human decision. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
    description = "List pending approval requests of the responder (not decided, not expired), oldest first.")
final class ApprovalsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ApprovalQueue queue = new ApprovalQueue(kafka.topics().approvals(), kafka.topics().actions(), kafka.connection())) {
            List<ApprovalRequest> pending = queue.pending(Instant.now());
            out.printf("%-36s %-24s %-40s %-20s %s%n", "REQUEST", "ACTION", "RESOURCE", "EXPIRES", "REASON");
            for (ApprovalRequest request : pending) {
                out.printf("%-36s %-24s %-40s %-20s %s%n", request.getRequestId(), request.getAwsAction(), request.getResource(),
                    request.getExpiresAt(), request.getReason());
            }
            out.printf("%d pending%n", pending.size());
            return 0;
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().printf("Cannot read the approvals topic at %s: %s%n", kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
    }
}
