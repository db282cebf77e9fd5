package io.trailhound.access;

import java.util.Comparator;
import java.util.List;

/** Every user and role of a snapshot with its blast radius, highest risk score first. */
public final class RiskRanking {

    private RiskRanking() {
    }

    public static List<BlastRadius> of(AccessGraph graph, Snapshot snapshot, int maxHops) {
        return snapshot.identities().stream().map(i -> BlastRadius.of(graph, snapshot, i.arn(), maxHops))
            .sorted(Comparator.comparingInt((BlastRadius b) -> -b.risk().score()).thenComparing(BlastRadius::principal)).toList();
    }
}
