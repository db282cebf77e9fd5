package io.trailhound.cli;

import java.util.concurrent.Callable;

import io.trailhound.avro.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trailhound reject ID}: rejects a pending response action, which is then never carried out. */
@Command(name = "reject", mixinStandardHelpOptions = true,
    description = "Reject a pending response action (by request id or action id; see 'trailhound approvals').")
final class RejectCommand implements Callable<Integer> {

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
        return ApproveCommand.decide(spec, bootstrapServers, registryUrl, id, Decision.REJECTED, approver, reason);
    }
}
