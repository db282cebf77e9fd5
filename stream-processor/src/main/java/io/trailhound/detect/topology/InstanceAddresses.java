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
 * <p>An instance's region is that of its first public address, or the region of its first private call (a VPC endpoint
 * serves only its own region); a first public address that is an EC2 address of another region is not the instance's.
 *
 * <p>State ({@link #STORE}): {@code i|<instance>} → last seen, up to {@link #MAX_ADDRESSES} addresses and the region;
 * {@code a|<address>}
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
        String instance = view.event().getPrincipal().getSessionName();
        AddressClass kind = view.sourceAddress();
        Known known = known(instance);
        if (kind == AddressClass.PRIVATE) {
            // a private source is the instance's own VPC (an endpoint serves only its region): that is the instance's region
            if (known.region().isEmpty() && !view.event().getAwsRegion().isEmpty()) {
                put(instance, now, new Known(known.addresses(), view.event().getAwsRegion()));
            }
            return null;
        }
        return kind == AddressClass.AWS_EC2 || kind == AddressClass.AWS ? judgePublic(view, instance, known, now) : null;
    }

    /** A call from a public AWS address. */
    private String judgePublic(EventView view, String instance, Known known, long now) {
        String ip = view.event().getSourceIpAddress();
        if (known.addresses().contains(ip)) {
            put(instance, now, known);
            return null;
        }
        String owner = owner(ip);
        String ec2Region = view.sourceEc2Region();
        if (known.addresses().isEmpty()) {
            if (!known.region().isEmpty() && !ec2Region.isEmpty() && !ec2Region.equals(known.region())) {
                // an instance reaches AWS from addresses of its own region; an EC2 address of another region is someone else's
                return NOT_OWN;
            }
            // first public call: its address is this instance's; one another instance also started from is a shared egress
            put(instance, now, known.with(ip, ec2Region));
            boolean othersFirst = owner != null && !owner.substring(1).equals(instance);
            put("a|" + ip, now, othersFirst ? SHARED : "~" + instance);
            return null;
        }
        if (owner != null && !owner.equals(SHARED) && !owner.substring(1).equals(instance)) {
            return OTHER_INSTANCE;
        }
        boolean v6 = ip.indexOf(':') >= 0;
        boolean sameFamily = known.addresses().stream().anyMatch(a -> (a.indexOf(':') >= 0) == v6);
        if (owner == null && sameFamily) {
            return NOT_OWN;
        }
        // the other address family of a dual-stack instance, or a shared egress (NAT gateway) it also uses
        put(instance, now, known.with(ip, ec2Region));
        return null;
    }

    /** What is known of an instance: its addresses (oldest first, at most {@link #MAX_ADDRESSES}) and region (or empty). */
    record Known(List<String> addresses, String region) {

        Known with(String ip, String ipRegion) {
            List<String> next = new ArrayList<>(addresses);
            next.add(ip);
            while (next.size() > MAX_ADDRESSES) {
                next.remove(0);
            }
            return new Known(next, region.isEmpty() ? ipRegion : region);
        }

        String encode() {
            return String.join(",", addresses) + ";" + region;
        }

        static Known decode(String value) {
            if (value == null) {
                return new Known(List.of(), "");
            }
            int semi = value.indexOf(';');
            String list = semi < 0 ? value : value.substring(0, semi);
            return new Known(list.isEmpty() ? List.of() : Arrays.asList(list.split(",")), semi < 0 ? "" : value.substring(semi + 1));
        }
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
        Known known = known(instance);
        if (!known.addresses().contains(ip)) {
            put(instance, now, known.with(ip, ""));
        }
        put("a|" + ip, now, "=" + instance);
    }

    private Known known(String instance) {
        return Known.decode(value(store.get("i|" + instance)));
    }

    private String owner(String ip) {
        return value(store.get("a|" + ip));
    }

    private void put(String instance, long now, Known known) {
        put("i|" + instance, now, known.encode());
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
