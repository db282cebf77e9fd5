package io.trailhound.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Makes an edge from the decisions a technique needs: none may deny; any CONDITIONAL one makes the edge CONDITIONAL. */
final class EdgeFactory {

    private EdgeFactory() {
    }

    /**
     * The edge, or empty when a decision denies or {@code extra} is NO. {@code extra} carries what is not a request
     * (the ceiling for admin, a trust to a service, a prerequisite).
     */
    static Optional<Edge> edge(String from, String to, Technique technique, String target, List<Decision> decisions, Match extra,
                               boolean grantsAdmin) {
        if (extra.isNo() || decisions.stream().anyMatch(d -> !d.mayAllow())) {
            return Optional.empty();
        }
        Set<String> conditions = new TreeSet<>(extra.keys());
        List<Evidence> evidence = new ArrayList<>();
        Confidence confidence = Confidence.of(extra);
        for (Decision d : decisions) {
            conditions.addAll(d.conditions());
            evidence.addAll(d.evidence().stream().filter(e -> "Allow".equals(e.effect())).toList());
            confidence = confidence.and(d.verdict() == Decision.Verdict.ALLOW ? Confidence.DEFINITE : Confidence.CONDITIONAL);
        }
        if (technique.prerequisite() != null) {
            conditions.add("prerequisite: " + technique.prerequisite());
            confidence = Confidence.CONDITIONAL;
        }
        String via = String.join(" + ", technique.required()) + " on " + target;
        return Optional.of(new Edge(from, to, via, technique.id(), confidence, conditions, evidence.stream().distinct().toList(),
            grantsAdmin));
    }
}
