package io.trailhound.demo.month;

import java.util.List;

/**
 * Where calls come from: the offices' networks, home networks of residential ISPs, AWS's published EC2 ranges of us-east-1
 * (from {@code ip-ranges.json}) and the Azure ranges GitHub-hosted runners use.
 */
final class Addresses {

    /** The offices' egress networks (documentation ranges, so nobody's real address). */
    static final List<String> OFFICES = List.of("198.51.100.", "203.0.113.", "192.0.2.");

    /** EC2 prefixes of us-east-1 from AWS's ip-ranges.json. */
    static final List<String> EC2_US_EAST_1 = List.of("52.4.0.0/14", "50.16.0.0/15", "18.232.0.0/14", "54.156.0.0/14",
        "54.236.0.0/15", "107.20.0.0/14", "54.144.0.0/14", "54.226.0.0/15", "3.224.0.0/12", "34.192.0.0/12");

    /** Azure prefixes of GitHub-hosted runners (GitHub's meta API lists Azure's ranges for actions). */
    private static final List<String> AZURE = List.of("4.148.0.0/16", "4.152.0.0/15", "20.42.0.0/16", "20.161.0.0/16",
        "40.84.0.0/16", "172.183.0.0/16", "13.64.0.0/11", "20.51.0.0/16");

    /** Residential ISP networks (cable and fibre /16s in the US). */
    private static final List<String> HOME = List.of("73.12.0.0/16", "24.30.0.0/16", "98.207.0.0/16", "71.176.0.0/16",
        "108.28.0.0/16", "174.62.0.0/16", "67.180.0.0/16", "96.241.0.0/16");

    private Addresses() {
    }

    static String office(String prefix, Draw draw) {
        return prefix + draw.between(10, 60);
    }

    static String ec2(Draw draw) {
        return inside(draw.pick(EC2_US_EAST_1), draw);
    }

    static String azure(Draw draw) {
        return inside(draw.pick(AZURE), draw);
    }

    static String home(Draw draw) {
        return inside(draw.pick(HOME), draw);
    }

    /** A host address inside {@code cidr} (not the network or broadcast address). */
    static String inside(String cidr, Draw draw) {
        int slash = cidr.indexOf('/');
        long base = toLong(cidr.substring(0, slash));
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        long size = 1L << (32 - bits);
        long offset = 1 + (long) (draw.nextInt(Integer.MAX_VALUE) % Math.max(1, size - 2));
        return toText(base + offset);
    }

    /** Whether {@code ip} lies in {@code cidr}. */
    static boolean contains(String cidr, String ip) {
        int slash = cidr.indexOf('/');
        int bits = Integer.parseInt(cidr.substring(slash + 1));
        long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
        return (toLong(ip) & mask) == (toLong(cidr.substring(0, slash)) & mask);
    }

    static long toLong(String ip) {
        long value = 0;
        for (String part : ip.split("\\.")) {
            value = value << 8 | Integer.parseInt(part);
        }
        return value;
    }

    private static String toText(long value) {
        return (value >> 24 & 255) + "." + (value >> 16 & 255) + "." + (value >> 8 & 255) + "." + (value & 255);
    }
}
