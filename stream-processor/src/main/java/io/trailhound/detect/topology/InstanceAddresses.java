package io.trailhound.detect.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.fasterxml.jackson.databind.JsonNode;

import io.trailhound.detect.environment.AddressClass;
import io.trailhound.detect.rules.EventView;

/**
 * Judges instance-profile credentials the way GuardDuty does: an instance's session is expected to call AWS from that
 * instance's own addresses (or privately, through a VPC endpoint). An instance's addresses are learned from the EC2 API
 * (a public address in {@code RunInstances}' response, {@code AssociateAddress}) and from its session's first public call;
 * an address that several instances reach AWS from as their first (a NAT gateway) is shared and proves nothing.
 *
 * <p>A new instance of an Auto Scaling group calling from a fresh address of AWS's pool is its own first address: normal.
 * The verdicts rules read as {@code context.instanceAddress}: {@code other-instance} (an address known to be another
 * instance's, while this instance has its own) and {@code not-own} (an AWS address that is none of this instance's, while it
 * has its own: possibly another account's instance). Calls from outside AWS are judged by {@code context.sourceAddress}.
 *
 * <p>State ({@link #STORE}): {@code i|<instance>} → last seen and up to {@link #MAX_ADDRESSES} addresses; {@code a|<address>}
 * → last seen and its owner ({@code =i-…} from the EC2 API, {@code ~i-…} learned from a first call, {@code *} shared).
 * Entries unseen for {@link #FORGET_AFTER} are purged. Limit: the store is per stream task, so an EC2 API event and the
 * session's calls meet only when their principals share a task (always in {@code scan}); the first-call learning, which the
 * verdicts mostly rest on, is always in the session's own task.
 */
final class InstanceAddresses {

    static final String STORE = "instance-address-store";
    static final String OTHER_INSTANCE = "other-instance";
    static final String NOT_OWN = "not-own";
    static final int MAX_ADDRESSES = 4;
    static final Duration FORGET_AFTER = Duration.ofDays(14);

    private static final String SHARED = "*";

    private final KeyValueStore<String, String> store;

    InstanceAddresses(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Learns addresses from EC2 API events and judges an instance session's call; returns the verdict, or null. */
    String judge(EventView view) {
        long now = view.event().getEventTime().toEpochMilli();
        if (!view.instanceCredential()) {
            learnFromApi(view, now);
            return null;
        }
        AddressClass kind = view.sourceAddress();
        if (kind != AddressClass.AWS_EC2 && kind != AddressClass.AWS) {
            return null;
        }
        String instance = view.event().getPrincipal().getSessionName();
        String ip = view.event().getSourceIpAddress();
        List<String> own = addresses(instance);
        String owner = owner(ip);
        if (own.contains(ip)) {
            put("i|" + instance, now, String.join(",", own));
            return null;
        }
        if (own.isEmpty()) {
            // first call: its address is this instance's; one another instance also started from is a shared egress
            addAddress(instance, own, ip, now);
            boolean othersFirst = owner != null && !owner.equals("~" + instance) && !owner.equals("=" + instance);
            put("a|" + ip, now, othersFirst ? SHARED : "~" + instance);
            return null;
        }
        if (owner != null && !owner.equals(SHARED) && !owner.substring(1).equals(instance)) {
            return OTHER_INSTANCE;
        }
        boolean v6 = ip.indexOf(':') >= 0;
        boolean sameFamily = own.stream().anyMatch(a -> (a.indexOf(':') >= 0) == v6);
        if (owner == null && sameFamily) {
            return NOT_OWN;
        }
        // the other address family of a dual-stack instance, or a shared egress (NAT gateway) it also uses
        addAddress(instance, own, ip, now);
        return null;
    }

    private void learnFromApi(EventView view, long now) {
        String name = view.event().getEventName();
        if (view.event().getErrorCode() != null) {
            return;
        }
        if ("RunInstances".equals(name)) {
            for (JsonNode item : view.values("responseElements.instancesSet.items")) {
                String instance = item.path("instanceId").asText(null);
                if (instance == null) {
                    continue;
                }
                List<String> found = new ArrayList<>();
                item.path("networkInterfaceSet").path("items").forEach(eni -> {
                    String publicIp = eni.path("association").path("publicIp").asText(null);
                    if (publicIp != null) {
                        found.add(publicIp);
                    }
                });
                String ipAddress = item.path("ipAddress").asText(null);
                if (ipAddress != null && !found.contains(ipAddress)) {
                    found.add(ipAddress);
                }
                found.forEach(ip -> assign(instance, ip, now));
            }
        } else if ("AssociateAddress".equals(name)) {
            String instance = view.text("requestParameters.instanceId");
            String ip = view.text("requestParameters.publicIp");
            if (instance != null && ip != null) {
                assign(instance, ip, now);
            }
        }
    }

    private void assign(String instance, String ip, long now) {
        List<String> own = addresses(instance);
        if (!own.contains(ip)) {
            addAddress(instance, own, ip, now);
        }
        put("a|" + ip, now, "=" + instance);
    }

    private void addAddress(String instance, List<String> own, String ip, long now) {
        List<String> next = new ArrayList<>(own);
        next.add(ip);
        while (next.size() > MAX_ADDRESSES) {
            next.remove(0);
        }
        put("i|" + instance, now, String.join(",", next));
    }

    private List<String> addresses(String instance) {
        String v = value(store.get("i|" + instance));
        return v == null || v.isEmpty() ? List.of() : Arrays.asList(v.split(","));
    }

    private String owner(String ip) {
        return value(store.get("a|" + ip));
    }

    private void put(String key, long now, String value) {
        store.put(key, now + " " + value);
    }

    private static String value(String stored) {
        if (stored == null) {
            return null;
        }
        int space = stored.indexOf(' ');
        return space < 0 ? null : stored.substring(space + 1);
    }

    /** Drops entries unseen for {@link #FORGET_AFTER} at {@code streamTime}. */
    void purge(long streamTime) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                int space = kv.value.indexOf(' ');
                long seen = space < 0 ? 0 : Long.parseLong(kv.value.substring(0, space));
                if (streamTime - seen > FORGET_AFTER.toMillis()) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(store::delete);
    }
}
