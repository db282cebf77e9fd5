package io.trailhound.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Graphviz DOT text of a {@link GraphView}: accounts as clusters, administrators filled red, CONDITIONAL edges dashed. */
public final class DotGraph {

    private DotGraph() {
    }

    public static String render(GraphView view) {
        StringBuilder dot = new StringBuilder("digraph access {\n  label=" + quote(view.title()) + ";\n  rankdir=LR;\n"
            + "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\"];\n");
        Map<String, String> ids = new HashMap<>();
        int cluster = 0;
        for (Map.Entry<String, List<Node>> entry : view.clusters().entrySet()) {
            String label = "outside".equals(entry.getKey()) ? "outside the snapshot" : "account " + entry.getKey();
            dot.append("  subgraph cluster_").append(cluster++).append(" {\n    label=").append(quote(label)).append(";\n");
            for (Node n : entry.getValue()) {
                String id = "n" + ids.size();
                ids.put(n.id(), id);
                dot.append("    ").append(id).append(" [label=").append(quote(n.kind().name().toLowerCase() + " " + n.label()))
                    .append(", tooltip=").append(quote(n.id()))
                    .append(n.admin() != null ? ", fillcolor=\"#f4cccc\"" : "").append("];\n");
            }
            dot.append("  }\n");
        }
        for (GraphView.ViewEdge e : view.edges()) {
            if (ids.containsKey(e.from()) && ids.containsKey(e.to())) {
                dot.append("  ").append(ids.get(e.from())).append(" -> ").append(ids.get(e.to())).append(" [label=")
                    .append(quote(e.label())).append(e.confidence() == Confidence.CONDITIONAL ? ", style=dashed" : "").append("];\n");
            }
        }
        return dot.append("}\n").toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
