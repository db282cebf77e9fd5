package io.trailhound.access;

import java.util.List;
import java.util.Set;

/**
 * The answer to one request: the verdict, the condition keys (or unknown policies) a CONDITIONAL verdict depends on, and the
 * statements it rests on (the allowing ones, or the denying one).
 */
public record Decision(Verdict verdict, Set<String> conditions, List<Evidence> evidence) {

    /** AWS's outcomes, plus CONDITIONAL when the snapshot cannot decide. */
    public enum Verdict { ALLOW, CONDITIONAL, IMPLICIT_DENY, EXPLICIT_DENY }

    public Decision {
        conditions = Set.copyOf(new java.util.TreeSet<>(conditions));
        evidence = List.copyOf(evidence);
    }

    /** Allowed, definitely or conditionally. */
    public boolean mayAllow() {
        return verdict == Verdict.ALLOW || verdict == Verdict.CONDITIONAL;
    }
}
