package io.trailhound.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalDecision;
import io.trailhound.avro.Decision;
import io.trailhound.respond.engine.ApprovalQueue;
import io.trailhound.signing.Ed25519Keys;
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
        description = "Who decides: the approver name the responder knows your public key by (default: ${DEFAULT-VALUE}).")
    private String approver;

    @Option(names = "--key", paramLabel = "FILE",
        description = "Your approver private key (PEM, from 'trailhound keygen approver'); the decision is signed with it.")
    private Path key;

    @Option(names = "--unsigned", description = "Publish without a signature: only a responder with "
        + "responder.approvals.require.signature=false (development) applies it.")
    private boolean unsigned;

    /**
     * Publishes {@code decision} on the approvals topic, signed with {@code --key}, and reports it; 1 when the id is unknown,
     * 2 when Kafka is unreachable or no key was given.
     */
    int publish(CommandSpec spec, KafkaOptions kafka, Decision decision) {
        Optional<PrivateKey> signing;
        try {
            signing = signingKey();
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        try (ApprovalQueue queue = new ApprovalQueue(kafka.topics().approvals(), kafka.topics().actions(), kafka.connection())) {
            ApprovalDecision published = queue.decide(id, decision, approver, reason, Instant.now(), signing);
            spec.commandLine().getOut().printf("%s %s (action %s) as %s, %s%n", decision == Decision.APPROVED ? "Approved" : "Rejected",
                published.getRequestId(), published.getActionId(), approver, signing.isPresent() ? "signed" : "UNSIGNED");
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage() + "; 'trailhound approvals' lists the pending ones");
            return 1;
        } catch (IllegalStateException | KafkaException e) {
            spec.commandLine().getErr().printf("Cannot reach the approvals topic at %s: %s%n", kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
    }

    private Optional<PrivateKey> signingKey() throws IOException {
        if (key != null && unsigned) {
            throw new IllegalArgumentException("--key and --unsigned exclude each other");
        }
        if (key == null && !unsigned) {
            throw new IllegalArgumentException("a decision is signed: give your approver key with --key FILE (create one with "
                + "'trailhound keygen approver'), or --unsigned for a development responder");
        }
        return key == null ? Optional.empty() : Optional.of(Ed25519Keys.readPrivateKey(key));
    }
}
