package io.trailhound.connector.iam;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of one account's records and which of them a new snapshot deletes. Keys are kept as the suffix after
 * {@code <account>|}: an entity ARN, {@link #SCP} or {@link #SNAPSHOT} (the marker, never deleted). A key the previous
 * snapshot had and the new one has not is tombstoned only when the new snapshot read its part (the entities from
 * GetAccountAuthorizationDetails, or the SCPs from Organizations) completely; what could not be read is never deleted.
 */
final class SnapshotKeys {

    static final String SCP = "scp";
    static final String SNAPSHOT = "snapshot";

    private SnapshotKeys() {
    }

    /** The record key of {@code suffix} in {@code account}. */
    static String key(String account, String suffix) {
        return account + "|" + suffix;
    }

    /**
     * The keys the topic holds for the account after a snapshot: those written ({@code written}), those read but not
     * forwarded (dead-lettered: the topic keeps their last good value), and those of {@code previous} in a part read
     * incompletely.
     */
    static Set<String> live(Set<String> previous, Set<String> written, Set<String> kept, boolean entitiesComplete,
                            boolean scpComplete) {
        Set<String> live = new TreeSet<>(written);
        live.addAll(kept);
        for (String key : previous) {
            boolean scp = SCP.equals(key);
            if (!SNAPSHOT.equals(key) && (scp ? !scpComplete : !entitiesComplete)) {
                live.add(key);
            }
        }
        live.remove(SNAPSHOT);
        return live;
    }

    /** The keys of {@code previous} no longer in {@code live}, sorted: each gets a tombstone. */
    static List<String> tombstones(Set<String> previous, Set<String> live) {
        Set<String> gone = new TreeSet<>(previous);
        gone.removeAll(live);
        gone.remove(SNAPSHOT);
        return List.copyOf(gone);
    }
}
