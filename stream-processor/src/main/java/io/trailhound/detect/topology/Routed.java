package io.trailhound.detect.topology;

import io.trailhound.detect.normalize.Normalized;

/** A normalized record travelling with its raw bytes, so that a rejection reaches the dead-letter topic unchanged. */
record Routed(Normalized normalized, byte[] raw) {
}
