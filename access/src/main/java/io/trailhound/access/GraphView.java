package io.trailhound.access;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a picture shows: nodes grouped by account, and edges with parallel ones merged (their technique ids joined, the
 * strongest confidence kept). Built from the whole graph (trust edges only) or from one blast radius (its paths).
 */
public record GraphView(String title, List<Node> nodes, List<ViewEdge> edges) {

    /** One drawn arrow. */
    public record ViewEdge(String from, String to, String label, Confidence confidence) {
    }

    public GraphView {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /** The cross-account trust graph: every user and role, every outsider a trust names, and the role assumption edges. */
    public static GraphView trust(AccessGraph graph) {
        List<Node> nodes = graph.nodes().values().stream().filter(n -> n.kind() != Node.Kind.GROUP)
            .sorted(Comparator.comparing(Node::accountId).thenComparing(Node::id)).toList();
        List<Edge> trust = graph.edges().stream().filter(e -> "sts-001".equals(e.technique())).toList();
        return new GraphView("Cross-account trust", nodes, merge(trust));
    }

    /** The principal, what it reaches and the edges of the paths there. */
    public static GraphView of(AccessGraph graph, BlastRadius radius) {
        Set<String> ids = new TreeSet<>();
        ids.add(radius.principal());
        List<Edge> used = new ArrayList<>();
        List<List<PathStep>> paths = new ArrayList<>();
        radius.reachable().forEach(r -> paths.add(r.path()));
        paths.add(radius.adminPath());
        for (List<PathStep> path : paths) {
            for (PathStep step : path) {
                ids.add(step.from());
                ids.add(step.to());
                used.add(new Edge(step.from(), step.to(), step.via(), step.technique(), step.confidence(), Set.of(), List.of(), false));
            }
        }
        List<Node> nodes = ids.stream().map(graph.nodes()::get).filter(java.util.Objects::nonNull)
            .sorted(Comparator.comparing(Node::accountId).thenComparing(Node::id)).toList();
        return new GraphView("Blast radius of " + radius.principal(), nodes, merge(used));
    }

    private static List<ViewEdge> merge(List<Edge> edges) {
        Map<String, List<Edge>> byPair = new LinkedHashMap<>();
        for (Edge e : edges) {
            byPair.computeIfAbsent(e.from() + "\n" + e.to(), k -> new ArrayList<>()).add(e);
        }
        List<ViewEdge> out = new ArrayList<>();
        byPair.values().forEach(list -> {
            Set<String> techniques = new TreeSet<>();
            list.forEach(e -> techniques.add(e.technique() == null ? "edge" : e.technique()));
            boolean definite = list.stream().anyMatch(e -> e.confidence() == Confidence.DEFINITE);
            out.add(new ViewEdge(list.get(0).from(), list.get(0).to(), String.join(",", techniques),
                definite ? Confidence.DEFINITE : Confidence.CONDITIONAL));
        });
        return out;
    }

    /** Nodes by cluster: an account id, or "outside" for principals outside the snapshot. */
    Map<String, List<Node>> clusters() {
        Map<String, List<Node>> clusters = new LinkedHashMap<>();
        nodes.stream().filter(n -> !n.external()).forEach(n -> clusters.computeIfAbsent(n.accountId(), k -> new ArrayList<>()).add(n));
        nodes.stream().filter(Node::external).forEach(n -> clusters.computeIfAbsent("outside", k -> new ArrayList<>()).add(n));
        return clusters;
    }
}
