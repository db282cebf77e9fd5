package io.trailhound.connector.cloudtrail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Decompresses a trail log file held in memory, bounding its size; a corrupt or truncated gzip is a malformed file. */
public final class TrailFileDecoder {

    private static final int BUFFER = 64 * 1024;

    private TrailFileDecoder() {
    }

    /** The decompressed content of {@code gzip} (all members), at most {@code maxBytes} long. */
    public static byte[] gunzip(byte[] gzip, long maxBytes) throws MalformedTrailFileException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), BUFFER)) {
            // CloudTrail compresses about 10:1; starting near the final size avoids most copies.
            long guess = Math.max(BUFFER, Math.min((long) gzip.length * 12, Integer.MAX_VALUE - 16));
            byte[] out = new byte[(int) Math.min(maxBytes + 1, guess)];
            int size = 0;
            int read;
            while ((read = in.read(out, size, out.length - size)) >= 0) {
                size += read;
                if (size > maxBytes) {
                    throw new MalformedTrailFileException("decompressed file larger than max.file.bytes (" + maxBytes + ")");
                }
                if (size == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1, (long) out.length * 2));
                }
            }
            return size == out.length ? out : Arrays.copyOf(out, size);
        } catch (IOException e) {
            throw new MalformedTrailFileException("corrupt gzip: " + e.getMessage(), e);
        }
    }
}
