package io.trailhound.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.trailhound.access.AccessGraph;
import io.trailhound.access.BlastRadius;
import io.trailhound.access.GraphBuilder;
import io.trailhound.access.GraphView;
import io.trailhound.access.Node;
import io.trailhound.access.Reachable;
import io.trailhound.access.RiskScore;
import io.trailhound.access.Snapshot;
import io.trailhound.access.SvgGraph;
import io.trailhound.avro.Incident;

/**
 * The report's blast-radius section (#15), when {@code trailhound report} is given an IAM snapshot: for every identity of
 * the incident's chain that the snapshot holds (an assumed-role session stands for its role), what it can reach, whether it
 * is administrator-equivalent and its risk score, with the picture {@code trailhound access blast-radius --format svg} draws.
 * Identities the snapshot does not hold are named, not dropped.
 */
record ReportBlastRadius(List<Principal> principals, List<String> notInSnapshot, Set<String> unsupported) {

    /** One identity of the chain: its blast radius and its picture. */
    record Principal(String chainArn, BlastRadius radius, String svg) {
    }

    ReportBlastRadius {
        principals = List.copyOf(principals);
        notInSnapshot = List.copyOf(notInSnapshot);
        unsupported = Set.copyOf(unsupported);
    }

    /** No section: the report was made without {@code --snapshot}. */
    static final ReportBlastRadius NONE = new ReportBlastRadius(List.of(), List.of(), Set.of());

    boolean present() {
        return !principals.isEmpty() || !notInSnapshot.isEmpty();
    }

    /** The blast radius of each identity of {@code incident}'s chain in {@code snapshot}. */
    static ReportBlastRadius of(Snapshot snapshot, Incident incident, int maxHops) {
        AccessGraph graph = GraphBuilder.build(snapshot);
        List<Principal> principals = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ReportText.ChainStep step : ReportText.chain(incident)) {
            Optional<String> node = node(graph, step.arn());
            if (node.isEmpty()) {
                missing.add(step.arn());
            } else if (seen.add(node.get())) {
                BlastRadius radius = BlastRadius.of(graph, snapshot, node.get(), maxHops);
                principals.add(new Principal(step.arn(), radius, SvgGraph.render(GraphView.of(graph, radius))));
            }
        }
        return new ReportBlastRadius(principals, missing, graph.unsupported());
    }

    /**
     * The graph node of a chain ARN: a user or role ARN as it is, an assumed-role session
     * ({@code arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION}) as the role of that name in that account (whatever its path).
     */
    static Optional<String> node(AccessGraph graph, String arn) {
        if (arn == null) {
            return Optional.empty();
        }
        if (graph.nodes().containsKey(arn)) {
            return Optional.of(arn);
        }
        String[] parts = arn.split(":", 6);
        if (parts.length == 6 && parts[5].startsWith("assumed-role/")) {
            String[] names = parts[5].split("/");
            String account = parts[4];
            return graph.nodes().values().stream()
                .filter(n -> n.kind() == Node.Kind.ROLE && n.accountId().equals(account) && names.length > 1 && n.label().equals(names[1]))
                .map(Node::id).findFirst();
        }
        return Optional.empty();
    }

    /** The summary rows of one principal: administrator, accounts, reachable, risk score. */
    static List<List<String>> summary(BlastRadius r) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Administrator-equivalent", r.adminEquivalent() ? "yes (" + r.adminConfidence() + ")" : "no"));
        if (r.adminEquivalent() && !r.adminPath().isEmpty()) {
            List<String> hops = new ArrayList<>();
            r.adminPath().forEach(s -> hops.add(s.to() + " [" + s.technique() + "]"));
            rows.add(List.of("Administrator path", String.join(" -> ", hops)));
        }
        rows.add(List.of("Accounts reachable", String.join(", ", r.accounts())));
        long admins = r.reachable().stream().filter(Reachable::adminEquivalent).count();
        rows.add(List.of("Principals reachable", r.reachable().size() + " (" + admins + " administrator-equivalent)"));
        StringBuilder risk = new StringBuilder().append(r.risk().score()).append("/100:");
        for (RiskScore.Component c : r.risk().components()) {
            if (c.points() > 0) {
                risk.append(' ').append(c.name()).append(' ').append(c.points()).append(',');
            }
        }
        rows.add(List.of("Risk score", risk.charAt(risk.length() - 1) == ',' ? risk.substring(0, risk.length() - 1) : risk.toString()));
        return rows;
    }

    /** The reachable principals of one blast radius as a report table. */
    static ReportText.Table reachable(BlastRadius r) {
        List<List<String>> rows = new ArrayList<>();
        for (Reachable x : r.reachable()) {
            List<String> techniques = new ArrayList<>();
            x.path().forEach(s -> techniques.add(s.technique() == null ? "edge" : s.technique()));
            rows.add(List.of(x.arn(), x.accountId(), Integer.toString(x.hops()), x.confidence().name()
                + (x.conditions().isEmpty() ? "" : " if " + String.join(", ", x.conditions())), String.join(" > ", techniques),
                x.adminEquivalent() ? "yes" : ""));
        }
        return new ReportText.Table("Reachable from " + r.principal(),
            List.of("Principal", "Account", "Hops", "Confidence", "Path", "Admin"), rows, "Nothing reachable.");
    }
}
