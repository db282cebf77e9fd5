package io.trailhound.respond.incident;

import java.util.ArrayList;
import java.util.List;

import io.trailhound.avro.ChainLink;
import io.trailhound.avro.Severity;

/**
 * What the responder knows of one incident: its highest severity and its identity chain, root first, gathered from every
 * alert (and incident record) of it. A chain only grows: a later alert that adds a hop or an account extends it, and
 * containment follows.
 *
 * @param incidentId the incident
 * @param severity   the highest severity seen
 * @param chain      every credential of the chain, root first, each principal once per account
 */
public record IncidentState(String incidentId, Severity severity, List<ChainLink> chain) {

    public IncidentState {
        chain = List.copyOf(chain);
    }

    /** This state with {@code other}'s severity and the links of {@code links} it did not know. */
    IncidentState merge(Severity other, List<ChainLink> links) {
        Severity top = other != null && other.compareTo(severity) > 0 ? other : severity;
        // a chain that holds the known root further down starts earlier: its root comes first
        boolean earlierRoot = !chain.isEmpty() && indexOf(links, chain.get(0)) > 0;
        List<ChainLink> merged = new ArrayList<>(earlierRoot ? links : chain);
        for (ChainLink link : earlierRoot ? chain : links) {
            if (indexOf(merged, link) < 0) {
                merged.add(link);
            }
        }
        return new IncidentState(incidentId, top, merged);
    }

    private static int indexOf(List<ChainLink> links, ChainLink link) {
        for (int i = 0; i < links.size(); i++) {
            if (same(links.get(i), link)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean same(ChainLink a, ChainLink b) {
        return a.getPrincipalArn().equals(b.getPrincipalArn()) && String.valueOf(a.getAccountId()).equals(String.valueOf(b.getAccountId()));
    }
}
