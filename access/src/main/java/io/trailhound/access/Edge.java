package io.trailhound.access;

import java.util.List;
import java.util.Set;

/**
 * A way from one node to another: {@code via} says what is done (the actions), {@code technique} the pathfinding reference id
 * (null for none), {@code conditions} what a CONDITIONAL edge depends on, {@code evidence} the statements it rests on.
 * {@code grantsAdmin}: taking the edge makes its target administrator-equivalent (self-escalation, modify-then-access); a
 * self-escalation edge goes from a principal to itself.
 */
public record Edge(String from, String to, String via, String technique, Confidence confidence, Set<String> conditions,
                   List<Evidence> evidence, boolean grantsAdmin) {

    public Edge {
        conditions = Set.copyOf(new java.util.TreeSet<>(conditions));
        evidence = List.copyOf(evidence);
    }
}
