package io.trailhound.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.trailhound.avro.Alert;
import io.trailhound.avro.ChainLink;

/**
 * Groups alerts into cases when no incident record exists: alerts of the last hours are joined when they share the root
 * identity of their credential chain, an access key or an instance; groups are ordered by their highest severity, then size.
 */
final class AlertGroups {

    /** Only alerts this close to the newest one are grouped (older ones belong to the history). */
    static final Duration WINDOW = Duration.ofHours(6);

    private final Map<Integer, Integer> parent = new HashMap<>();

    private AlertGroups() {
    }

    /** The groups, most severe first. */
    static List<List<Alert>> of(List<Alert> alerts) {
        Instant newest = alerts.stream().map(Alert::getLastSeen).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        List<Alert> recent = alerts.stream().filter(a -> !a.getLastSeen().isBefore(newest.minus(WINDOW))).toList();
        AlertGroups groups = new AlertGroups();
        Map<String, Integer> owner = new HashMap<>();
        for (int i = 0; i < recent.size(); i++) {
            groups.parent.put(i, i);
            for (String key : keys(recent.get(i))) {
                Integer other = owner.putIfAbsent(key, i);
                if (other != null) {
                    groups.union(other, i);
                }
            }
        }
        Map<Integer, List<Alert>> byRoot = new LinkedHashMap<>();
        for (int i = 0; i < recent.size(); i++) {
            byRoot.computeIfAbsent(groups.find(i), k -> new ArrayList<>()).add(recent.get(i));
        }
        List<List<Alert>> out = new ArrayList<>(byRoot.values());
        out.sort(Comparator.comparing((List<Alert> g) -> g.stream().mapToInt(a -> a.getSeverity().ordinal()).max().orElse(0))
            .thenComparing(List::size).reversed());
        return out;
    }

    private static List<String> keys(Alert a) {
        List<String> keys = new ArrayList<>();
        List<ChainLink> chain = a.getChain();
        if (!chain.isEmpty()) {
            keys.add("root:" + chain.get(0).getPrincipalArn());
            chain.stream().filter(l -> l.getAccessKeyId() != null).forEach(l -> keys.add("key:" + l.getAccessKeyId()));
        } else if (a.getPrincipal() != null && a.getPrincipal().getArn() != null) {
            keys.add("root:" + a.getPrincipal().getArn());
        }
        a.getEntities().getAccessKeyIds().forEach(k -> keys.add("key:" + k));
        a.getEntities().getInstanceIds().forEach(i -> keys.add("instance:" + i));
        return keys;
    }

    private int find(int i) {
        int root = i;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        parent.put(i, root);
        return root;
    }

    private void union(int a, int b) {
        parent.put(find(b), find(a));
    }
}
