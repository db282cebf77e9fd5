package io.trailhound.access;

import java.util.List;

/** The plain text forms of a blast radius and a risk ranking, for a terminal. */
public final class AccessText {

    private AccessText() {
    }

    public static String blastRadius(BlastRadius r) {
        StringBuilder out = new StringBuilder();
        out.append("Blast radius of ").append(r.principal()).append('\n');
        out.append("  administrator-equivalent: ").append(r.adminEquivalent() ? "yes (" + r.adminConfidence() + ")" : "no")
            .append(r.adminConditions().isEmpty() ? "" : " if " + String.join("; ", r.adminConditions())).append('\n');
        r.adminPath().forEach(s -> out.append("    ").append(step(s)).append('\n'));
        out.append("  accounts: ").append(String.join(", ", r.accounts())).append('\n');
        out.append("  reachable (").append(r.reachable().size()).append("):\n");
        for (Reachable x : r.reachable()) {
            out.append("    ").append(x.hops()).append(" hop(s) ").append(x.confidence()).append(' ').append(x.arn())
                .append(x.adminEquivalent() ? " [admin]" : "")
                .append(x.conditions().isEmpty() ? "" : " if " + String.join("; ", x.conditions())).append('\n');
            x.path().forEach(s -> out.append("      ").append(step(s)).append('\n'));
        }
        risk(out, r.risk());
        if (!r.unsupported().isEmpty()) {
            out.append("  unsupported:\n");
            r.unsupported().forEach(u -> out.append("    ").append(u).append('\n'));
        }
        return out.toString();
    }

    public static String risks(List<BlastRadius> ranked) {
        StringBuilder out = new StringBuilder();
        for (BlastRadius r : ranked) {
            out.append(String.format(java.util.Locale.ROOT, "%3d  %s%s%n", r.risk().score(), r.principal(),
                r.adminEquivalent() ? "  [admin]" : ""));
            r.risk().components().stream().filter(c -> c.points() > 0).forEach(c -> out.append(
                String.format(java.util.Locale.ROOT, "       %-28s %2d/%-2d %s%n", c.name(), c.points(), c.max(), c.detail())));
        }
        return out.toString();
    }

    private static void risk(StringBuilder out, RiskScore risk) {
        out.append("  risk score: ").append(risk.score()).append("/100\n");
        for (RiskScore.Component c : risk.components()) {
            out.append(String.format(java.util.Locale.ROOT, "    %-28s %2d/%-2d %s%n", c.name(), c.points(), c.max(), c.detail()));
        }
    }

    private static String step(PathStep s) {
        return s.from() + " -> " + s.to() + " via " + s.via() + " [" + s.technique() + ", " + s.confidence() + "]";
    }
}
