package io.trailhound.detect.environment;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP addresses and CIDR prefixes as 128-bit numbers ({@code [hi, lo]}; IPv4 mapped into {@code ::ffff:0:0/96}), so one sorted
 * range list serves both families. Parsing never resolves a name: only literals are read.
 */
final class Cidr {

    private static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

    private Cidr() {
    }

    /** {@code [hi, lo]} of a literal IPv4 or IPv6 address, or null when {@code text} is not one. */
    static long[] address(String text) {
        long v4 = ipv4(text);
        if (v4 >= 0) {
            return new long[] {0L, V4_MAPPED | v4};
        }
        return isIpv6Literal(text) ? ipv6(text) : null;
    }

    /** {@code [startHi, startLo, endHi, endLo]} of a CIDR prefix, or null when it is not one. */
    static long[] parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return null;
        }
        long[] base = address(cidr.substring(0, slash));
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (base == null) {
            return null;
        }
        int length = cidr.indexOf(':') < 0 ? bits + 96 : bits;
        if (length < 0 || length > 128) {
            return null;
        }
        long maskHi = length >= 64 ? -1L : length == 0 ? 0L : -1L << (64 - length);
        long maskLo = length <= 64 ? 0L : length == 128 ? -1L : -1L << (128 - length);
        return new long[] {base[0] & maskHi, base[1] & maskLo, base[0] | ~maskHi, base[1] | ~maskLo};
    }

    /** Unsigned comparison of two 128-bit numbers. */
    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** RFC 1918, loopback, link-local and carrier-grade NAT (IPv4); unique-local, link-local and loopback (IPv6). */
    static boolean isPrivate(long[] a) {
        if (a[0] == 0L && (a[1] & 0xffff_ffff_0000_0000L) == V4_MAPPED) {
            return isPrivateV4(a[1] & 0xffff_ffffL);
        }
        int top = (int) (a[0] >>> 48);
        return (top & 0xfe00) == 0xfc00 || (top & 0xffc0) == 0xfe80 || (a[0] == 0L && a[1] == 1L);
    }

    private static boolean isPrivateV4(long v4) {
        int first = (int) (v4 >>> 24);
        int second = (int) ((v4 >>> 16) & 0xff);
        return switch (first) {
            case 10, 127 -> true;
            case 172 -> second >= 16 && second <= 31;
            case 192 -> second == 168;
            case 169 -> second == 254;
            case 100 -> second >= 64 && second <= 127;
            default -> false;
        };
    }

    /** The 32-bit value of a dotted quad, or -1. */
    private static long ipv4(String s) {
        long value = 0;
        int part = 0;
        int digits = 0;
        int groups = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) {
                    return -1;
                }
            } else if (c == '.' && digits > 0 && groups < 3) {
                value = (value << 8) | part;
                part = 0;
                digits = 0;
                groups++;
            } else {
                return -1;
            }
        }
        return groups == 3 && digits > 0 ? (value << 8) | part : -1;
    }

    private static boolean isIpv6Literal(String s) {
        if (s.indexOf(':') < 0 || s.length() > 45) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static long[] ipv6(String s) {
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            if (b.length == 4) {
                long v4 = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
                return new long[] {0L, V4_MAPPED | v4};
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (b[i] & 0xffL);
                lo = (lo << 8) | (b[i + 8] & 0xffL);
            }
            return new long[] {hi, lo};
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
