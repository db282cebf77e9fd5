package io.trailhound.demo.month;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Seeded random choices of one part of the month (ids, keys, times, picks). Each activity owns one, derived from the
 * month's seed and the activity's name, so adding an activity does not change the records of the others.
 */
final class Draw {

    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String HEX = "0123456789abcdef";

    private final Random random;

    Draw(long seed, String name) {
        this.random = new Random(seed * 1_000_003L + name.hashCode());
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** A uniform integer in [from, to]. */
    int between(int from, int to) {
        return from + random.nextInt(to - from + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    double gaussian() {
        return random.nextGaussian();
    }

    <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    @SafeVarargs
    final <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    String uuid() {
        return new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
            random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
    }

    /** An access key id or unique id (AKIA, ASIA, AIDA, AROA): 20 characters of AWS's base-32 alphabet. */
    String key(String prefix) {
        StringBuilder key = new StringBuilder(prefix);
        while (key.length() < 20) {
            key.append(KEY_CHARS.charAt(random.nextInt(KEY_CHARS.length())));
        }
        return key.toString();
    }

    String hex(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(HEX.charAt(random.nextInt(16)));
        }
        return s.toString();
    }

    /** S3 and STS request ids: 16 upper-case hex characters. */
    String s3RequestId() {
        return hex(16).toUpperCase(Locale.ROOT);
    }
}
