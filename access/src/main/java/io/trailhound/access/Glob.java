package io.trailhound.access;

/** IAM's wildcard matching: {@code *} is any run of characters, {@code ?} exactly one; actions compare case-insensitively. */
final class Glob {

    private Glob() {
    }

    /** True when {@code value} matches {@code pattern}. */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        String p = pattern;
        String v = value;
        int pi = 0;
        int vi = 0;
        int star = -1;
        int mark = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || same(p.charAt(pi), v.charAt(vi), ignoreCase))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = vi;
            } else if (star >= 0) {
                pi = star + 1;
                vi = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    // compared character by character rather than lower-casing both strings: the graph build matches millions of times
    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
