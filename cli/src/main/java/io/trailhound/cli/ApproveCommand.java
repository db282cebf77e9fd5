package io.trailhound.cli;

import java.util.concurrent.Callable;

import io.trailhound.avro.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trailhound approve ID}: approves a pending response action, which the responder then carries out. */
@Command(name = "approve", mixinStandardHelpOptions = true,
    description = "Approve a pending response action (by request id or action id; see 'trailhound approvals').")
final class ApproveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DecisionOptions decision;

    @Mixin
    private KafkaOptions kafka;

    @Override
    public Integer call() {
        return decision.publish(spec, kafka, Decision.APPROVED);
    }
}
