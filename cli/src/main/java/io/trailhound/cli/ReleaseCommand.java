package io.trailhound.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;

import io.trailhound.avro.ApprovalMessage;
import io.trailhound.avro.ResponseAction;
import io.trailhound.respond.engine.KafkaActionLedger;
import io.trailhound.respond.engine.KafkaApprovalGate;
import io.trailhound.respond.plan.PlannedStep;
import io.trailhound.respond.release.ReleasePlan;
import io.trailhound.respond.release.ReleaseRequests;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound release INCIDENT_ID}: plans the release of an incident's containment from its audit records and, with
 * {@code --execute}, requests approval of each release step; the running responder undoes an approved step (#14).
 */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = {"Undo an incident's reversible containment (keys we deactivated, our inline denies, isolation security groups, "
        + "a removed or replaced instance profile, a bucket policy or ACL we replaced), from its audit records on "
        + "trailhound.response.actions. Evidence is never touched.",
        "Default: dry run, print the release plan and what stays. --execute: request approval of each step on "
        + "trailhound.response.approvals; approve with 'trailhound approve ID'. The responder checks each resource is "
        + "unchanged since containment before undoing it (else the step is refused and audited SKIPPED), and acts only "
        + "when it does not run in dry run (responder.dry.run)."})
final class ReleaseCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INCIDENT_ID", description = "The incident whose containment to release.")
    private String incidentId;

    @Option(names = "--action", paramLabel = "ACTION_ID",
        description = "Release only this containment step (its action id, or its release's).")
    private String action;

    @Option(names = "--execute", description = "Request approval of the release steps (default: dry run, nothing published).")
    private boolean execute;

    @Option(names = "--dry-run", description = "Print the release plan only (the default).")
    private boolean dryRun;

    @Option(names = "--as", paramLabel = "REQUESTER", defaultValue = "${sys:user.name}",
        description = "Who asks for the release, for the audit trail (default: ${DEFAULT-VALUE}).")
    private String requester;

    @Option(names = "--approval-timeout", paramLabel = "DURATION", defaultValue = "PT4H",
        description = "How long the approval requests stay valid (default: ${DEFAULT-VALUE}; the responder's "
            + "responder.approval.timeout.ms decides).")
    private Duration timeout;

    @Mixin
    private KafkaOptions kafka;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (execute && dryRun) {
            err.println("--execute and --dry-run exclude each other");
            return 2;
        }
        Topics topics = kafka.topics();
        Map<String, Object> producerConfig = kafka.connection(Map.of(
            ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
        try (KafkaProducer<String, ResponseAction> audit = new KafkaProducer<>(producerConfig,
                topics.actions().keySerde().serializer(), topics.actions().valueSerde().serializer());
             KafkaProducer<String, ApprovalMessage> approvals = new KafkaProducer<>(producerConfig,
                topics.approvals().keySerde().serializer(), topics.approvals().valueSerde().serializer());
             KafkaActionLedger ledger = KafkaActionLedger.load(topics.actions(), audit, kafka.connection())) {
            ReleaseRequests release = new ReleaseRequests(ledger, new KafkaApprovalGate(topics.approvals(), approvals), timeout,
                requester, Clock.systemUTC());
            ReleasePlan plan = release.plan(incidentId, Optional.ofNullable(action));
            if (plan.steps().isEmpty() && plan.kept().isEmpty()) {
                err.printf("no response action of incident %s%s on %s%n", incidentId, action == null ? "" : " with action id " + action,
                    topics.actions().name());
                return 1;
            }
            print(out, plan);
            if (!execute) {
                out.printf("dry run: %d release step(s) planned, nothing requested; --execute requests their approval%n",
                    plan.steps().size());
                return 0;
            }
            List<ResponseAction> requested = release.request(plan);
            out.printf("requested approval of %d release step(s); 'trailhound approvals' lists them, 'trailhound approve ID' "
                + "approves one%n", requested.size());
            return 0;
        } catch (IllegalStateException | KafkaException e) {
            err.printf("cannot reach Kafka at %s: %s%n", kafka.bootstrapServers(), e.getMessage());
            return 2;
        }
    }

    private static void print(PrintWriter out, ReleasePlan plan) {
        out.printf("%-4s %-38s %-60s %s%n", "#", "ACTION", "RESOURCE", "RELEASE ACTION ID / WHAT");
        for (PlannedStep step : plan.steps()) {
            out.printf("%-4d %-38s %-60s %s%n     %s%n", step.order(), step.step().action().id(), step.step().resource(),
                step.actionId(), step.approvalReason());
        }
        for (ReleasePlan.Kept kept : plan.kept()) {
            out.printf("kept %-38s %-60s %s%n", kept.awsAction(), kept.resource(), kept.reason());
        }
    }
}
