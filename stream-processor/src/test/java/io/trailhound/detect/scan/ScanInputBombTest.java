package io.trailhound.detect.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** #17: a trail file that inflates far beyond any real one is refused with the reason, within bounded memory; the scan goes on. */
class ScanInputBombTest {

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAFileThatInflatesBeyondTheBoundWithoutReadingItAll() throws IOException {
        Path bomb = dir.resolve("bomb.json.gz");
        writeZeros(bomb, 64L * 1024 * 1024);
        assertTrue(Files.size(bomb) < 128 * 1024, "64 MiB of zeros compress to " + Files.size(bomb) + " bytes");
        IOException refused = assertThrows(ScanInput.RefusedFileException.class, () -> ScanInput.content(bomb, 4L * 1024 * 1024));
        assertTrue(refused.getMessage().contains("decompresses to more than 4194304 bytes"), refused.getMessage());
    }

    @Test
    void shouldReportTheRefusedFileAndReadTheOthers() throws IOException {
        Path bomb = dir.resolve("a-bomb.json.gz");
        writeZeros(bomb, 2L * 1024 * 1024);
        Files.writeString(dir.resolve("b-records.jsonl"), "{\"eventID\":\"1\",\"eventTime\":\"2024-05-01T10:00:00Z\"}\n");
        String previous = System.getProperty("trailhound.scan.max.file.bytes");
        System.setProperty("trailhound.scan.max.file.bytes", String.valueOf(1024 * 1024));
        try {
            ScanSource source = ScanInput.source(List.of(dir.toString()), java.io.InputStream.nullInputStream());
            assertEquals(2, source.parts());
            assertEquals(List.of(), source.records(0));
            assertEquals(1, source.records(1).size(), "the next file is read");
            assertEquals(1, source.refused().size());
            assertTrue(source.refused().get(0).contains("a-bomb.json.gz"), source.refused().toString());
        } finally {
            if (previous == null) {
                System.clearProperty("trailhound.scan.max.file.bytes");
            } else {
                System.setProperty("trailhound.scan.max.file.bytes", previous);
            }
        }
    }

    @Test
    void shouldReadAFileWithinTheBound() throws IOException {
        Path file = dir.resolve("trail.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("{\"Records\":[{\"eventID\":\"1\"},{\"eventID\":\"2\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(2, ScanInput.records(ScanInput.content(file, 1024)).size());
    }

    private static void writeZeros(Path file, long bytes) throws IOException {
        byte[] zeros = new byte[1024 * 1024];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            for (long written = 0; written < bytes; written += zeros.length) {
                out.write(zeros);
            }
        }
    }
}
