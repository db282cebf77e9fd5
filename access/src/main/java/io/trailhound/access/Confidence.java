package io.trailhound.access;

/** How sure an edge or a finding is: DEFINITE from the snapshot alone, CONDITIONAL on something it cannot tell. */
public enum Confidence {
    DEFINITE, CONDITIONAL;

    /** The weaker of the two. */
    Confidence and(Confidence other) {
        return this == CONDITIONAL || other == CONDITIONAL ? CONDITIONAL : DEFINITE;
    }

    static Confidence of(Match match) {
        return match.isYes() ? DEFINITE : CONDITIONAL;
    }
}
