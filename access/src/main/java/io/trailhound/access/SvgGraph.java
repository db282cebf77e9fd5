package io.trailhound.access;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An SVG picture of a {@link GraphView}, laid out here without Graphviz: one column per account (principals outside the
 * snapshot last), a box per node (administrators red), an arrow per edge labelled with its technique ids (CONDITIONAL
 * dashed). Every node label is text in the SVG, so a browser or a test can find it.
 */
public final class SvgGraph {

    private static final int COLUMN = 300;
    private static final int BOX_W = 250;
    private static final int BOX_H = 40;
    private static final int ROW = 70;
    private static final int TOP = 80;
    private static final int MARGIN = 25;
    /** Characters of a label line that fit a box at 11 px. */
    private static final int LINE = 38;
    /** Characters that fit on one line at 12 px. */
    private static final int ONE_LINE = 34;

    private SvgGraph() {
    }

    private record Box(int x, int y) {
    }

    public static String render(GraphView view) {
        Map<String, List<Node>> clusters = view.clusters();
        int rows = clusters.values().stream().mapToInt(List::size).max().orElse(1);
        int width = Math.max(1, clusters.size()) * COLUMN + MARGIN;
        int height = TOP + rows * ROW + MARGIN;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\">%n", width, height, width, height));
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
            + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(MARGIN, 28, 18, "bold", view.title()));
        Map<String, Box> boxes = new HashMap<>();
        int column = 0;
        for (Map.Entry<String, List<Node>> cluster : clusters.entrySet()) {
            int x = MARGIN + column++ * COLUMN;
            int clusterHeight = cluster.getValue().size() * ROW + 30;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"#f3f6fa\" "
                + "stroke=\"#9aa8b8\"/>%n", x - 10, TOP - 30, BOX_W + 20, clusterHeight));
            String label = "outside".equals(cluster.getKey()) ? "outside the snapshot" : "account " + cluster.getKey();
            svg.append(text(x, TOP - 12, 13, "bold", label));
            int y = TOP;
            for (Node n : cluster.getValue()) {
                boxes.put(n.id(), new Box(x, y));
                svg.append(node(n, x, y));
                y += ROW;
            }
        }
        for (GraphView.ViewEdge e : view.edges()) {
            Box from = boxes.get(e.from());
            Box to = boxes.get(e.to());
            if (from != null && to != null) {
                svg.append(edge(from, to, e));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static String node(Node n, int x, int y) {
        String fill = n.admin() != null ? "#f4cccc" : n.external() ? "#fff2cc" : "#ffffff";
        return String.format(Locale.ROOT, "<g><title>%s</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" "
            + "fill=\"%s\" stroke=\"#333\"/>%s</g>%n", escape(n.id()), x, y, BOX_W, BOX_H, fill, label(n, x + 8, y));
    }

    /**
     * The node's kind and label: one line when it fits the box, else two lines of one text element (so the whole label is
     * one run of the page's text), the label cut in the middle only beyond two lines.
     */
    private static String label(Node n, int x, int y) {
        String kind = n.kind().name().toLowerCase(Locale.ROOT);
        String full = kind + " " + n.label();
        if (full.length() <= ONE_LINE) {
            return text(x, y + 25, 12, "normal", full);
        }
        String first = full.substring(0, LINE);
        String rest = full.substring(LINE);
        if (rest.length() > LINE) {
            rest = rest.substring(0, LINE / 2 - 2) + "..." + rest.substring(rest.length() - LINE / 2 + 1);
        }
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" font-weight=\"normal\"><tspan x=\"%d\">%s</tspan>"
            + "<tspan x=\"%d\" dy=\"14\">%s</tspan></text>%n", x, y + 17, x, escape(first), x, escape(rest));
    }

    private static String edge(Box from, Box to, GraphView.ViewEdge e) {
        int x1;
        int x2;
        int y1 = from.y() + BOX_H / 2;
        int y2 = to.y() + BOX_H / 2;
        String path;
        if (from.x() == to.x()) {
            x1 = from.x() + BOX_W;
            x2 = to.x() + BOX_W;
            int bulge = x1 + 40;
            path = String.format(Locale.ROOT, "M%d,%d C%d,%d %d,%d %d,%d", x1, y1, bulge, y1, bulge, y2, x2, y2);
        } else {
            x1 = from.x() < to.x() ? from.x() + BOX_W : from.x();
            x2 = from.x() < to.x() ? to.x() : to.x() + BOX_W;
            path = String.format(Locale.ROOT, "M%d,%d L%d,%d", x1, y1, x2, y2);
        }
        String dash = e.confidence() == Confidence.CONDITIONAL ? " stroke-dasharray=\"6,4\"" : "";
        return String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"#444\"%s marker-end=\"url(#arrow)\"/>%n%s", path,
            dash, text((x1 + x2) / 2 + (from.x() == to.x() ? 30 : 0), (y1 + y2) / 2 - 4, 10, "normal", e.label()));
    }

    private static String text(int x, int y, int size, String weight, String content) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, size,
            weight, escape(content));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
