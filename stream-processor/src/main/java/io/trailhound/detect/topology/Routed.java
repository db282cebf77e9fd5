package io.trailhound.detect.topology;

import io.trailhound.detect.normalize.Normalized;

/**
 * A normalized record travelling with its raw bytes, so that a rejection reaches the dead-letter topic unchanged.
 *
 * @param normalized what the raw record became
 * @param raw        the raw bytes
 * @param keyed      whether the raw record already carried the key the topology keys it by (the durable principal, set at
 *                   ingest by the {@code PrincipalKey} transform): then it is in the right partition and needs no repartition
 */
record Routed(Normalized normalized, byte[] raw, boolean keyed) {
}
