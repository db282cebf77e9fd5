package io.trailhound.cli;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The report's pictures as inline SVG: the timeline (one row per entry, a dot at its time on a shared axis, coloured by kind)
 * and the identity chain (a box per identity, arrows labelled with the call that minted the next credentials). All text is
 * escaped with {@link ReportHtml#esc(String)}.
 */
final class ReportSvg {

    /** Rows drawn at most; the table below the picture lists every entry. */
    static final int MAX_TIMELINE_ROWS = 250;

    private static final int WIDTH = 1140;
    private static final int TEXT_CHARS = 92;
    private static final int TRACK_LEFT = 700;
    private static final int TRACK_RIGHT = 1120;
    private static final int ROW = 18;
    private static final int TOP = 48;
    private static final int BOX_W = 230;
    private static final int BOX_H = 74;
    private static final int GAP = 90;

    private ReportSvg() {
    }

    /** The timeline picture. */
    static String timeline(List<ReportData.Entry> entries) {
        List<ReportData.Entry> shown = entries.size() > MAX_TIMELINE_ROWS ? entries.subList(0, MAX_TIMELINE_ROWS) : entries;
        int height = TOP + Math.max(1, shown.size()) * ROW + 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Incident timeline\" "
            + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" id=\"timeline\">%n", WIDTH, height, WIDTH, height));
        s.append("<title>Incident timeline</title>\n");
        legend(s);
        if (shown.isEmpty()) {
            s.append("<text x=\"10\" y=\"").append(TOP + 12).append("\">No timeline entries.</text>\n</svg>\n");
            return s.toString();
        }
        long t0 = shown.get(0).time().toEpochMilli();
        long t1 = Math.max(t0 + 1, shown.get(shown.size() - 1).time().toEpochMilli());
        axis(s, shown.get(0).time(), shown.get(shown.size() - 1).time(), height);
        for (int n = 0; n < shown.size(); n++) {
            ReportData.Entry e = shown.get(n);
            int y = TOP + n * ROW + ROW / 2;
            double x = TRACK_LEFT + (TRACK_RIGHT - TRACK_LEFT) * (double) (e.time().toEpochMilli() - t0) / (t1 - t0);
            String label = ReportText.time(e.time()).substring(5) + " " + e.kind() + " " + e.summary();
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e1e6ed\"/>%n",
                TRACK_LEFT - 6, y, x, y));
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\"><title>%s</title></circle>%n", x, y,
                color(e.kind()), ReportHtml.esc(label)));
            s.append("<text x=\"10\" y=\"").append(y + 4).append("\">").append(ReportHtml.esc(truncate(label, TEXT_CHARS)))
                .append("</text>\n");
        }
        if (shown.size() < entries.size()) {
            s.append("<text class=\"muted\" x=\"10\" y=\"").append(height - 8).append("\">")
                .append(entries.size() - shown.size()).append(" later entries are in the table below</text>\n");
        }
        return s.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder s) {
        int x = 10;
        for (String kind : List.of("EVENT", "ALERT", "FINDING", "ACTION")) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"14\" r=\"5\" fill=\"%s\"/><text x=\"%d\" y=\"18\">%s</text>%n",
                x + 5, color(kind), x + 14, kind));
            x += 90;
        }
    }

    private static void axis(StringBuilder s, Instant from, Instant to, int height) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5d6d7e\"/>%n", TRACK_LEFT,
            TOP - 6, TRACK_RIGHT, TOP - 6));
        s.append(String.format(Locale.ROOT, "<text class=\"muted\" x=\"%d\" y=\"%d\">%s</text>%n", TRACK_LEFT, TOP - 12,
            ReportHtml.esc(ReportText.time(from))));
        s.append(String.format(Locale.ROOT, "<text class=\"muted\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", TRACK_RIGHT,
            TOP - 12, ReportHtml.esc(ReportText.time(to))));
        for (int tick = 0; tick <= 4; tick++) {
            int x = TRACK_LEFT + (TRACK_RIGHT - TRACK_LEFT) * tick / 4;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eef2f7\"/>%n", x, TOP - 6, x,
                height - 24));
        }
    }

    /** The identity chain picture. */
    static String chain(List<ReportText.ChainStep> steps) {
        int width = steps.size() * BOX_W + (steps.size() - 1) * GAP + 20;
        int height = BOX_H + 40;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"Identity chain\" "
            + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" id=\"chain\">%n", width, height, width, height));
        s.append("<title>Identity chain, root identity first</title>\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" ")
            .append("refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#2c3e50\"/>")
            .append("</marker></defs>\n");
        for (int n = 0; n < steps.size(); n++) {
            ReportText.ChainStep step = steps.get(n);
            int x = 10 + n * (BOX_W + GAP);
            int y = 20;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"%s\" "
                + "stroke=\"#2c3e50\"><title>%s</title></rect>%n", x, y, BOX_W, BOX_H, n == 0 ? "#fdecea" : "#eaf2fb",
                ReportHtml.esc(step.arn())));
            text(s, "label", x + 10, y + 20, truncate(step.name(), 30));
            text(s, "muted", x + 10, y + 40, truncate("account " + (step.account().isEmpty() ? "?" : step.account()), 32));
            text(s, "muted", x + 10, y + 58, truncate(step.accessKeyId().isEmpty() ? "" : "key " + step.accessKeyId(), 32));
            if (n + 1 < steps.size()) {
                int ax = x + BOX_W;
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#2c3e50\" stroke-width=\"2\" "
                    + "marker-end=\"url(#arrow)\"/>%n", ax + 4, y + BOX_H / 2, ax + GAP - 4, y + BOX_H / 2));
                text(s, "muted", ax + 6, y + BOX_H / 2 - 8, truncate(steps.get(n + 1).mintedBy(), 13));
            }
        }
        return s.append("</svg>\n").toString();
    }

    private static void text(StringBuilder s, String cssClass, int x, int y, String text) {
        s.append("<text class=\"").append(cssClass).append("\" x=\"").append(x).append("\" y=\"").append(y).append("\">")
            .append(ReportHtml.esc(text)).append("</text>\n");
    }

    private static String color(String kind) {
        return switch (kind) {
            case "ALERT" -> "#c0392b";
            case "FINDING" -> "#8e44ad";
            case "ACTION" -> "#2e86c1";
            default -> "#7f8c8d";
        };
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
