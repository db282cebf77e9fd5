package io.trailhound.connector.cloudtrail;

import java.util.HashMap;
import java.util.Map;

/**
 * One account's log files of one region at one location: the Connect source partition, and the key prefix listed in
 * order below it.
 */
public record TrailPartition(String location, String orgId, String account, String region, String keyPrefix) {

    static final String LOCATION = "location";
    static final String ORG = "org";
    static final String ACCOUNT = "account";
    static final String REGION = "region";

    /** The partition of {@code account}/{@code region} (with the organization folder, if any) below the location's prefix. */
    public static TrailPartition of(TrailLocation location, String orgId, String account, String region) {
        String keyPrefix = TrailKey.partitionPrefix(location.prefix(), orgId, account, region);
        return new TrailPartition(location.uri(), orgId, account, region, keyPrefix);
    }

    /**
     * The Connect source partition: a small map of strings. A HashMap on purpose: Connect stores offsets under the
     * partition's serialized bytes and reads them back (REST GET/PATCH /offsets) as a default HashMap, so only that order
     * survives that round trip.
     */
    public Map<String, String> sourcePartition() {
        Map<String, String> partition = new HashMap<>();
        partition.put(LOCATION, location);
        partition.put(ORG, orgId == null ? "" : orgId);
        partition.put(ACCOUNT, account);
        partition.put(REGION, region);
        return partition;
    }

    /** Whether the task {@code index} of {@code count} owns this partition. */
    public boolean ownedBy(int index, int count) {
        return Math.floorMod((account + "/" + region).hashCode(), count) == index;
    }
}
