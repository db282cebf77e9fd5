package io.trailhound.detect.scan;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes from a stream, as {@link java.io.BufferedReader#readLine()} splits them ({@code \n}, {@code \r} or
 * {@code \r\n} end a line), without decoding them, holding at most one line: a line longer than the bound stops the reading
 * with {@link LineTooLongException} before more of it is read.
 */
final class LineReader {

    private final InputStream in;
    private final long max;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean afterCr;
    private long read;

    LineReader(InputStream in, long max) {
        this.in = in;
        this.max = max;
    }

    /** Bytes read from the stream so far. */
    long bytesRead() {
        return read;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    byte[] next() throws IOException {
        byte[] acc = null;
        int accLen = 0;
        while (true) {
            if (pos == lim) {
                if (!fill()) {
                    return acc == null ? null : Arrays.copyOf(acc, accLen);
                }
            }
            if (afterCr) {
                afterCr = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            int i = start;
            while (i < lim && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            int n = i - start;
            if ((long) accLen + n > max) {
                throw new LineTooLongException();
            }
            if (i < lim) {
                afterCr = buf[i] == '\r';
                pos = i + 1;
                if (acc == null) {
                    return Arrays.copyOfRange(buf, start, i);
                }
                byte[] line = Arrays.copyOf(acc, accLen + n);
                System.arraycopy(buf, start, line, accLen, n);
                return line;
            }
            if (acc == null) {
                acc = new byte[(int) Math.min(Math.max(2L * n, 1024), max)];
            } else if (acc.length < accLen + n) {
                acc = Arrays.copyOf(acc, (int) Math.min(Math.max(acc.length * 2L, accLen + n), max));
            }
            System.arraycopy(buf, start, acc, accLen, n);
            accLen += n;
            pos = lim;
        }
    }

    /** Everything left in the stream, after {@code prefix} and a newline, up to the bound (beyond it: the exception). */
    byte[] rest(byte[] prefix) throws IOException {
        long total = (long) prefix.length + 1 + (lim - pos);
        if (total > max) {
            throw new LineTooLongException();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(total * 2, Integer.MAX_VALUE - 16));
        out.write(prefix);
        out.write('\n');
        out.write(buf, pos, lim - pos);
        pos = lim;
        while (fill()) {
            total += lim;
            if (total > max) {
                throw new LineTooLongException();
            }
            out.write(buf, 0, lim);
            pos = lim;
        }
        return out.toByteArray();
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            // read() blocks until some data or the end: 0 cannot happen for a blocking stream with a non-empty buffer
            eof = true;
            pos = 0;
            lim = 0;
            return false;
        }
        read += n;
        pos = 0;
        lim = n;
        return true;
    }

    /** A line (or a whole document) longer than the bound. */
    static final class LineTooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        LineTooLongException() {
            super("longer than the bound");
        }
    }
}
