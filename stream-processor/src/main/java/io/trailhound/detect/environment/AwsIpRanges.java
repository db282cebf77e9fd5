package io.trailhound.detect.environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * AWS's published IP address ranges ({@code ip-ranges.json}): which public addresses belong to AWS at all, and which are EC2
 * addresses of which region. "Outside AWS" is then a fact from AWS's own list rather than a guess from a /24.
 *
 * <p>A copy of the file ships with the stream processor ({@link #BUILT_IN}, its {@code createDate} is {@link #createDate()});
 * {@code trailhound.aws.ip.ranges.file} points at a fresher one (AWS updates it several times a week:
 * {@code curl -o ip-ranges.json https://ip-ranges.amazonaws.com/ip-ranges.json}). Lookups are binary searches over merged
 * ranges, a few hundred nanoseconds per address.
 */
public final class AwsIpRanges {

    /** Classpath location of the bundled copy (AWS's file, gzipped, unchanged). */
    public static final String BUILT_IN = "/io/trailhound/detect/environment/aws-ip-ranges.json.gz";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile AwsIpRanges builtIn;

    private final String createDate;
    private final Ranges amazon;
    private final Map<String, Ranges> ec2ByRegion;

    private AwsIpRanges(String createDate, Ranges amazon, Map<String, Ranges> ec2ByRegion) {
        this.createDate = createDate;
        this.amazon = amazon;
        this.ec2ByRegion = ec2ByRegion;
    }

    /**
     * The bundled copy, read once: a caller that comes while another thread reads it waits for that read (a scan starts
     * reading it on a thread of its own while it loads the rules, see {@link #prefetch}).
     */
    public static AwsIpRanges builtIn() {
        AwsIpRanges b = builtIn;
        if (b != null) {
            return b;
        }
        synchronized (AwsIpRanges.class) {
            if (builtIn == null) {
                try (InputStream in = AwsIpRanges.class.getResourceAsStream(BUILT_IN)) {
                    if (in == null) {
                        throw new IllegalStateException("missing bundled AWS IP ranges " + BUILT_IN);
                    }
                    builtIn = read(new GZIPInputStream(in));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the bundled AWS IP ranges", e);
                }
            }
            return builtIn;
        }
    }

    /**
     * Starts reading the bundled copy on a daemon thread, so that a start that needs it later finds it read (or waits less);
     * a failure is left for {@link #builtIn} to report to whoever calls it.
     */
    public static void prefetch() {
        Thread t = new Thread(() -> {
            try {
                builtIn();
            } catch (RuntimeException e) {
                // reported by the caller's own builtIn()
            }
        }, "trailhound-ip-ranges");
        t.setDaemon(true);
        t.start();
    }

    /** The ranges of an {@code ip-ranges.json} file (plain or gzipped). */
    public static AwsIpRanges read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read AWS IP ranges from " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The ranges of an {@code ip-ranges.json} document; fails on a document without prefixes. Read with the streaming parser,
     * not as a tree: the file has about 10,000 prefixes and every scan and stream-processor start reads it, before the JIT has
     * compiled anything.
     */
    public static AwsIpRanges read(InputStream json) throws IOException {
        Ranges.Builder all = new Ranges.Builder();
        Map<String, Ranges.Builder> ec2 = new HashMap<>();
        String createDate = "unknown";
        int prefixes = 0;
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an AWS ip-ranges.json document (no prefixes)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                boolean ipv4 = field.equals("prefixes");
                if ((ipv4 || field.equals("ipv6_prefixes")) && value == JsonToken.START_ARRAY) {
                    int read = prefixes(p, ipv4 ? "ip_prefix" : "ipv6_prefix", all, ec2);
                    prefixes += ipv4 ? read : 0;
                } else if (field.equals("createDate") && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    createDate = p.getValueAsString();
                } else {
                    p.skipChildren();
                }
            }
        }
        if (prefixes == 0) {
            throw new IllegalArgumentException("not an AWS ip-ranges.json document (no prefixes)");
        }
        Map<String, Ranges> byRegion = new HashMap<>();
        ec2.forEach((region, b) -> byRegion.put(region, b.build()));
        return new AwsIpRanges(createDate, all.build(), byRegion);
    }

    /** Reads the array the parser is at (its prefix objects, by {@code prefixField}); returns how many elements it had. */
    private static int prefixes(JsonParser p, String prefixField, Ranges.Builder all, Map<String, Ranges.Builder> ec2)
            throws IOException {
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new IOException("unexpected end of the ip-ranges document");
            }
            count++;
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String prefix = null;
            String service = null;
            String region = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken().isStructStart()) {
                    p.skipChildren();
                } else if (name.equals(prefixField)) {
                    prefix = p.getValueAsString();
                } else if (name.equals("service")) {
                    service = p.getValueAsString();
                } else if (name.equals("region")) {
                    region = p.getValueAsString("");
                }
            }
            long[] range = prefix == null ? null : Cidr.parse(prefix);
            if (range == null) {
                continue;
            }
            all.add(range);
            if ("EC2".equals(service)) {
                ec2.computeIfAbsent(region, r -> new Ranges.Builder()).add(range);
            }
        }
        return count;
    }

    /** The {@code createDate} of the file these ranges come from (AWS's {@code YYYY-MM-DD-hh-mm-ss}). */
    public String createDate() {
        return createDate;
    }

    /** What a CloudTrail source address is, and for an EC2 address the region it belongs to (else empty). */
    public record Source(AddressClass kind, String ec2Region) {
    }

    /** What kind of address {@code sourceIPAddress} is (CloudTrail also writes service host names and "AWS Internal" there). */
    public AddressClass classify(String sourceIPAddress) {
        return lookup(sourceIPAddress).kind();
    }

    /** The class of {@code sourceIPAddress} and, for an EC2 address, its region: one parse and one search per address. */
    public Source lookup(String sourceIPAddress) {
        if (sourceIPAddress == null || sourceIPAddress.isBlank()) {
            return new Source(AddressClass.NONE, "");
        }
        long[] address = Cidr.address(sourceIPAddress);
        if (address == null) {
            return new Source(sourceIPAddress.endsWith(".amazonaws.com") || sourceIPAddress.equals("AWS Internal")
                    ? AddressClass.AWS_SERVICE : AddressClass.NONE, "");
        }
        if (Cidr.isPrivate(address)) {
            return new Source(AddressClass.PRIVATE, "");
        }
        if (!amazon.contains(address)) {
            return new Source(AddressClass.OUTSIDE_AWS, "");
        }
        return ec2Region(address).map(region -> new Source(AddressClass.AWS_EC2, region))
                .orElseGet(() -> new Source(AddressClass.AWS, ""));
    }

    private Optional<String> ec2Region(long[] address) {
        for (Map.Entry<String, Ranges> e : ec2ByRegion.entrySet()) {
            if (e.getValue().contains(address)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** Sorted, merged, non-overlapping ranges of 128-bit addresses (IPv4 mapped into ::ffff:0:0/96) as (hi, lo) pairs. */
    private static final class Ranges {
        private final long[] startHi;
        private final long[] startLo;
        private final long[] endHi;
        private final long[] endLo;

        private Ranges(List<long[]> merged) {
            int n = merged.size();
            startHi = new long[n];
            startLo = new long[n];
            endHi = new long[n];
            endLo = new long[n];
            for (int i = 0; i < n; i++) {
                long[] r = merged.get(i);
                startHi[i] = r[0];
                startLo[i] = r[1];
                endHi[i] = r[2];
                endLo[i] = r[3];
            }
        }

        boolean contains(long[] a) {
            int lo = 0;
            int hi = startHi.length - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Cidr.compare(startHi[mid], startLo[mid], a[0], a[1]) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return found >= 0 && Cidr.compare(a[0], a[1], endHi[found], endLo[found]) <= 0;
        }

        /** Collects ranges in any order and merges them. */
        static final class Builder {
            private final List<long[]> ranges = new ArrayList<>();

            void add(long[] range) {
                ranges.add(range);
            }

            Ranges build() {
                ranges.sort((x, y) -> Cidr.compare(x[0], x[1], y[0], y[1]));
                List<long[]> merged = new ArrayList<>();
                for (long[] r : ranges) {
                    long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                    if (last != null && Cidr.compare(r[0], r[1], last[2], last[3]) <= 0) {
                        if (Cidr.compare(r[2], r[3], last[2], last[3]) > 0) {
                            last[2] = r[2];
                            last[3] = r[3];
                        }
                    } else {
                        merged.add(r.clone());
                    }
                }
                return new Ranges(merged);
            }
        }
    }
}
