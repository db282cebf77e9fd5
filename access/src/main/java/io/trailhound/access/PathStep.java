package io.trailhound.access;

/** One edge of a path as the outputs show it: from, to, what was done, the technique id and the edge's confidence. */
public record PathStep(String from, String to, String via, String technique, Confidence confidence) {

    static PathStep of(Edge e) {
        return new PathStep(e.from(), e.to(), e.via(), e.technique(), e.confidence());
    }
}
