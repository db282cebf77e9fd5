package io.trailhound.respond.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * @param served     per role ARN, the federated subjects the role served before the incident's sign-ins (#18: what the
 *                   stream processor's alerts carry in {@code entities.other} under {@code servedSubjects:<role ARN>})
 */
public record IncidentState(String incidentId, Severity severity, List<ChainLink> chain, Map<String, List<String>> served) {

    /** Entity key prefix of the subjects a role served before (set by the stream processor). */
    public static final String SERVED_SUBJECTS = "servedSubjects:";

    public IncidentState {
        chain = List.copyOf(chain);
        served = Map.copyOf(served);
    }

    /** A state without served subjects. */
    public IncidentState(String incidentId, Severity severity, List<ChainLink> chain) {
        this(incidentId, severity, chain, Map.of());
    }

    /** The subjects {@code roleArn} served before, sorted; empty when none are known. */
    public List<String> servedBy(String roleArn) {
        return served.getOrDefault(roleArn, List.of());
    }

    /** The served subjects named in {@code other} (an alert's or incident's {@code entities.other}). */
    static Map<String, List<String>> served(Map<String, List<String>> other) {
        Map<String, List<String>> out = new TreeMap<>();
        other.forEach((key, values) -> {
            if (key.startsWith(SERVED_SUBJECTS)) {
                out.put(key.substring(SERVED_SUBJECTS.length()), values);
            }
        });
        return out;
    }

    /** This state with {@code other}'s severity, the links of {@code links} it did not know and the subjects of {@code more}. */
    IncidentState merge(Severity other, List<ChainLink> links, Map<String, List<String>> more) {
        Map<String, List<String>> subjects = new TreeMap<>(served);
        more.forEach((role, values) -> subjects.merge(role, values, (a, b) -> new TreeSet<>(concat(a, b)).stream().toList()));
        IncidentState merged = merge(other, links);
        return new IncidentState(incidentId, merged.severity(), merged.chain(), subjects);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
        return new IncidentState(incidentId, top, merged, served);
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
