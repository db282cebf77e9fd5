package io.trailhound.access;

import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a statement or condition applies to a request: yes, no, or maybe because it depends on something the snapshot cannot
 * tell (the condition keys or unknowns named in {@code keys}).
 */
record Match(Kind kind, Set<String> keys) {

    /** The three answers. */
    enum Kind { YES, NO, MAYBE }

    static final Match YES = new Match(Kind.YES, Set.of());
    static final Match NO = new Match(Kind.NO, Set.of());

    Match {
        keys = Set.copyOf(keys);
    }

    static Match maybe(String key) {
        return new Match(Kind.MAYBE, Set.of(key));
    }

    static Match of(boolean yes) {
        return yes ? YES : NO;
    }

    boolean isNo() {
        return kind == Kind.NO;
    }

    boolean isYes() {
        return kind == Kind.YES;
    }

    /** Both must hold: no wins, then maybe (keys merged), then yes. */
    Match and(Match other) {
        if (isNo() || other.isNo()) {
            return NO;
        }
        if (isYes()) {
            return other;
        }
        if (other.isYes()) {
            return this;
        }
        Set<String> merged = new TreeSet<>(keys);
        merged.addAll(other.keys);
        return new Match(Kind.MAYBE, merged);
    }

    /** Either may hold: yes wins, then maybe (keys merged), then no. */
    Match or(Match other) {
        if (isYes() || other.isYes()) {
            return YES;
        }
        if (isNo()) {
            return other;
        }
        if (other.isNo()) {
            return this;
        }
        Set<String> merged = new TreeSet<>(keys);
        merged.addAll(other.keys);
        return new Match(Kind.MAYBE, merged);
    }
}
