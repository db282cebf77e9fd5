package io.trailhound.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.AccessJson;
import io.trailhound.access.AccessText;
import io.trailhound.access.BlastRadius;
import io.trailhound.access.DotGraph;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.GraphView;
import io.trailhound.access.RiskRanking;
import io.trailhound.access.Snapshot;
import io.trailhound.access.SnapshotOptions;
import io.trailhound.access.SnapshotReader;
import io.trailhound.access.SnapshotRecords;
import io.trailhound.access.SvgGraph;
import io.trailhound.topic.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trailhound access blast-radius|graph|risks} (#15): who can reach what across accounts, from an IAM snapshot
 * directory ({@code --snapshot DIR}) or, without one, from the live snapshot records on {@code trailhound.iam.snapshots}
 * (what the IAM snapshot connector writes and the stream processor's access stage reads), read to their current end.
 */
@Command(name = "access", mixinStandardHelpOptions = true,
    description = "Access graph and blast radius from IAM snapshots (aws iam get-account-authorization-details per account).",
    subcommands = {AccessCommand.BlastRadiusCommand.class, AccessCommand.GraphCommand.class, AccessCommand.RisksCommand.class})
final class AccessCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The snapshot every subcommand reads, and what the files cannot say. */
    static final class SnapshotSource {

        @Option(names = "--snapshot", paramLabel = "DIR",
            description = {"Directory of <account>.gaad.json and optional <account>.scp.json files.",
                "Without it: the live snapshots on trailhound.iam.snapshots (--bootstrap-server, --command-config)."})
        Path snapshot;

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--management-account", paramLabel = "ACCOUNT_ID",
            description = "An organization management account: SCPs do not apply to its principals (repeatable).")
        List<String> managementAccounts = new ArrayList<>();

        @Option(names = "--org-id", paramLabel = "ORG_ID",
            description = "The organization every snapshot account belongs to, to decide aws:PrincipalOrgID conditions.")
        String organizationId;

        /** The snapshot of the directory, or the live one; null after printing why there is none. */
        Snapshot read(CommandSpec spec) throws IOException {
            SnapshotOptions options = new SnapshotOptions(Set.copyOf(managementAccounts), organizationId, Instant.now());
            if (snapshot != null) {
                return SnapshotReader.read(snapshot, options);
            }
            Map<String, String> records = LiveSnapshots.read(kafka);
            if (records.isEmpty()) {
                spec.commandLine().getErr().println("trailhound access " + spec.name() + ": no IAM snapshot records on "
                    + Topics.IAM_SNAPSHOTS + " at " + kafka.bootstrapServers() + " (deploy the IAM snapshot connector, "
                    + "ingest-connector README) ; or give --snapshot DIR");
                return null;
            }
            return SnapshotRecords.build(records, options).snapshot();
        }
    }

    /** {@code access blast-radius ARN}. */
    @Command(name = "blast-radius", mixinStandardHelpOptions = true,
        description = "What a principal can reach: principals with hops, confidence and path; administrator-equivalence with the "
            + "shortest path; accounts; a 0-100 risk score with its components.")
    static final class BlastRadiusCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        SnapshotSource source;

        @Parameters(index = "0", paramLabel = "ARN", description = "The user or role ARN (or an outside principal a trust names).")
        String principal;

        @Option(names = "--format", defaultValue = "json", description = "json, text, dot or svg (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--max-hops", defaultValue = "5", description = "Longest path searched (default: ${DEFAULT-VALUE}).")
        int maxHops;

        @Override
        public Integer call() throws IOException {
            if (!List.of("json", "text", "dot", "svg").contains(format)) {
                throw new IllegalArgumentException("--format must be json, text, dot or svg, was " + format);
            }
            if (maxHops < 1) {
                throw new IllegalArgumentException("--max-hops must be at least 1, was " + maxHops);
            }
            Snapshot snapshot = source.read(spec);
            if (snapshot == null) {
                return 2;
            }
            AccessGraph graph = GraphBuilder.build(snapshot);
            BlastRadius radius = BlastRadius.of(graph, snapshot, principal, maxHops);
            PrintWriter out = spec.commandLine().getOut();
            out.print(switch (format) {
                case "text" -> AccessText.blastRadius(radius);
                case "dot" -> DotGraph.render(GraphView.of(graph, radius));
                case "svg" -> SvgGraph.render(GraphView.of(graph, radius));
                default -> AccessJson.write(AccessJson.blastRadius(radius));
            });
            out.flush();
            return 0;
        }
    }

    /** {@code access graph}. */
    @Command(name = "graph", mixinStandardHelpOptions = true,
        description = "The cross-account trust graph: accounts as clusters, outside principals apart, administrators in red.")
    static final class GraphCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        SnapshotSource source;

        @Option(names = "--format", defaultValue = "svg", description = "svg or dot (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() throws IOException {
            if (!"svg".equals(format) && !"dot".equals(format)) {
                throw new IllegalArgumentException("--format must be svg or dot, was " + format);
            }
            Snapshot snapshot = source.read(spec);
            if (snapshot == null) {
                return 2;
            }
            GraphView view = GraphView.trust(GraphBuilder.build(snapshot));
            PrintWriter out = spec.commandLine().getOut();
            out.print("dot".equals(format) ? DotGraph.render(view) : SvgGraph.render(view));
            out.flush();
            return 0;
        }
    }

    /** {@code access risks}. */
    @Command(name = "risks", mixinStandardHelpOptions = true,
        description = "Every user and role ranked by risk score, highest first, with the components of its score.")
    static final class RisksCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        SnapshotSource source;

        @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--max-hops", defaultValue = "5", description = "Longest path searched (default: ${DEFAULT-VALUE}).")
        int maxHops;

        @Override
        public Integer call() throws IOException {
            if (!"text".equals(format) && !"json".equals(format)) {
                throw new IllegalArgumentException("--format must be text or json, was " + format);
            }
            Snapshot snapshot = source.read(spec);
            if (snapshot == null) {
                return 2;
            }
            AccessGraph graph = GraphBuilder.build(snapshot);
            List<BlastRadius> ranked = RiskRanking.of(graph, snapshot, maxHops);
            PrintWriter out = spec.commandLine().getOut();
            out.print("json".equals(format) ? AccessJson.write(AccessJson.risks(ranked, graph.unsupported())) : AccessText.risks(ranked));
            out.flush();
            return 0;
        }
    }
}
