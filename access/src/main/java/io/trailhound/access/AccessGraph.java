package io.trailhound.access;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who can become whom: the nodes and edges {@link GraphBuilder} found in a snapshot, with what the snapshot could not
 * evaluate ({@code unsupported}). Immutable; edges out of a node come DEFINITE first so searches prefer certain paths.
 */
public final class AccessGraph {

    private final Map<String, Node> nodes;
    private final List<Edge> edges;
    private final Map<String, List<Edge>> out = new HashMap<>();
    private final Map<String, List<Edge>> in = new HashMap<>();
    private final Set<String> unsupported;

    AccessGraph(Map<String, Node> nodes, List<Edge> edges, Set<String> unsupported) {
        this.nodes = Map.copyOf(new TreeMap<>(nodes));
        this.edges = List.copyOf(edges);
        this.unsupported = Set.copyOf(new TreeSet<>(unsupported));
        for (Edge e : edges) {
            out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
            in.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
        Comparator<Edge> order = Comparator.comparing(Edge::confidence).thenComparing(Edge::to);
        out.values().forEach(list -> list.sort(order));
    }

    public Map<String, Node> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    public Set<String> unsupported() {
        return unsupported;
    }

    public List<Edge> edgesFrom(String id) {
        return out.getOrDefault(id, List.of());
    }

    public List<Edge> edgesTo(String id) {
        return in.getOrDefault(id, List.of());
    }

    /** The self-escalation edge that makes {@code id} administrator, if any, DEFINITE first. */
    java.util.Optional<Edge> selfEscalation(String id) {
        return edgesFrom(id).stream().filter(e -> e.grantsAdmin() && e.to().equals(id)).findFirst();
    }
}
