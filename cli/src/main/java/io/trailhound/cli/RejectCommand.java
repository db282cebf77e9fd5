package io.trailhound.cli;

import java.util.concurrent.Callable;

import io.trailhound.avro.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trailhound reject ID}: rejects a pending response action, which is then never carried out. */
@Command(name = "reject", mixinStandardHelpOptions = true,
    description = "Reject a pending response action (by request id or action id; see 'trailhound approvals').")
final class RejectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DecisionOptions decision;

    @Mixin
    private KafkaOptions kafka;

    @Override
    public Integer call() {
        return decision.publish(spec, kafka, Decision.REJECTED);
    }
}
