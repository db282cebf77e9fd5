package io.trailhound.access;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a principal can reach: a breadth-first search of the access graph (fewest hops, DEFINITE preferred at equal hops),
 * the shortest path to administrator-equivalence (its own policies, a self-escalation, an edge that grants a target
 * administrator, or a reachable administrator) and the accounts reached. A reachable node counts as administrator in
 * {@link Reachable#adminEquivalent()} only when that is DEFINITE; the principal's own CONDITIONAL administrator-equivalence
 * names what it depends on in {@code adminConditions}.
 */
public record BlastRadius(String principal, boolean adminEquivalent, Confidence adminConfidence, Set<String> adminConditions,
                          List<PathStep> adminPath, List<Reachable> reachable, List<String> accounts, RiskScore risk,
                          Set<String> unsupported) {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    public BlastRadius {
        adminConditions = Set.copyOf(new TreeSet<>(adminConditions));
        adminPath = List.copyOf(adminPath);
        reachable = List.copyOf(reachable);
        accounts = List.copyOf(accounts);
        unsupported = Set.copyOf(new TreeSet<>(unsupported));
    }

    /**
     * How a node was reached: hops, the weakest confidence and the conditions along the way, and the last edge with the reach
     * it extends (the path is materialised only for the output: a search may touch every edge of a large graph).
     */
    private record Reach(int hops, Confidence confidence, Set<String> conditions, Edge last, Reach previous) {

        Reach then(Edge e) {
            Set<String> c = conditions;
            if (!c.containsAll(e.conditions())) {
                c = new TreeSet<>(conditions);
                c.addAll(e.conditions());
            }
            return new Reach(hops + 1, confidence.and(e.confidence()), c, e, this);
        }

        /** Whether taking {@code e} from here would be better than {@code known}, found at this hop or before. */
        boolean improves(Reach known, Edge e) {
            return known.hops == hops + 1 && known.confidence == Confidence.CONDITIONAL
                && confidence.and(e.confidence()) == Confidence.DEFINITE;
        }

        boolean betterThan(Reach other) {
            return hops < other.hops || hops == other.hops && confidence == Confidence.DEFINITE
                && other.confidence == Confidence.CONDITIONAL;
        }

        List<Edge> path() {
            ArrayDeque<Edge> path = new ArrayDeque<>();
            for (Reach r = this; r.last != null; r = r.previous) {
                path.addFirst(r.last);
            }
            return List.copyOf(path);
        }
    }

    /** The blast radius of {@code principal} up to {@code maxHops} hops. */
    public static BlastRadius of(AccessGraph graph, Snapshot snapshot, String principal, int maxHops) {
        Node start = graph.nodes().get(principal);
        if (start == null) {
            throw new IllegalArgumentException("principal not in the snapshot: " + principal);
        }
        Map<String, Reach> best = new HashMap<>();
        best.put(principal, new Reach(0, Confidence.DEFINITE, Set.of(), null, null));
        Reach admin = null;
        List<String> frontier = List.of(principal);
        for (int hop = 0; hop <= maxHops && !frontier.isEmpty(); hop++) {
            List<String> next = new ArrayList<>();
            for (String id : frontier) {
                Reach here = best.get(id);
                admin = better(admin, adminHere(graph, id, here, hop < maxHops));
                if (hop == maxHops) {
                    continue;
                }
                for (Edge e : graph.edgesFrom(id)) {
                    Reach known = best.get(e.to());
                    if (known == null) {
                        next.add(e.to());
                        best.put(e.to(), here.then(e));
                    } else if (here.improves(known, e)) {
                        best.put(e.to(), here.then(e));
                    }
                }
            }
            frontier = next;
        }
        List<Reachable> reachable = reachable(graph, principal, best);
        Set<String> accounts = new TreeSet<>();
        if (ACCOUNT_ID.matcher(start.accountId()).matches()) {
            accounts.add(start.accountId());
        }
        reachable.stream().map(Reachable::accountId).filter(a -> ACCOUNT_ID.matcher(a).matches()).forEach(accounts::add);
        List<PathStep> adminPath = admin == null ? List.of() : admin.path().stream().map(PathStep::of).toList();
        Confidence adminConfidence = admin == null ? null : admin.confidence();
        RiskScore risk = RiskScore.of(graph, snapshot, start, adminConfidence, reachable, accounts);
        return new BlastRadius(principal, admin != null, adminConfidence, admin == null ? Set.of() : admin.conditions(), adminPath,
            reachable, List.copyOf(accounts), risk, graph.unsupported());
    }

    /** The shortest way to administrator from node {@code id}, reached by {@code here}. */
    private static Reach adminHere(AccessGraph graph, String id, Reach here, boolean mayStep) {
        Node node = graph.nodes().get(id);
        Reach found = null;
        if (node.admin() != null) {
            Set<String> c = new TreeSet<>(here.conditions());
            c.addAll(node.adminConditions());
            found = new Reach(here.hops(), here.confidence().and(node.admin()), c, here.last(), here.previous());
        }
        if (here.last() != null && here.last().grantsAdmin()) {
            found = better(found, here);
        }
        if (mayStep) {
            for (Edge e : graph.edgesFrom(id)) {
                if (e.grantsAdmin()) {
                    found = better(found, here.then(e));
                }
            }
        }
        return found;
    }

    private static Reach better(Reach a, Reach b) {
        if (a == null) {
            return b;
        }
        return b != null && b.betterThan(a) ? b : a;
    }

    private static List<Reachable> reachable(AccessGraph graph, String principal, Map<String, Reach> best) {
        List<Reachable> out = new ArrayList<>();
        best.forEach((id, reach) -> {
            if (id.equals(principal)) {
                return;
            }
            Node node = graph.nodes().get(id);
            Edge last = reach.last();
            boolean admin = node.admin() == Confidence.DEFINITE
                || graph.selfEscalation(id).filter(e -> e.confidence() == Confidence.DEFINITE).isPresent()
                || last.grantsAdmin() && last.confidence() == Confidence.DEFINITE;
            out.add(new Reachable(id, node.accountId(), node.kind(), reach.hops(), reach.confidence(), reach.conditions(),
                reach.path().stream().map(PathStep::of).toList(), admin));
        });
        out.sort(Comparator.comparingInt(Reachable::hops).thenComparing(Reachable::confidence).thenComparing(Reachable::arn));
        return out;
    }
}
