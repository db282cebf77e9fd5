package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every service properties file under k8s/ and docker/ says each key once: java.util.Properties keeps the last of two
 * {@code config.providers=} lines without a word, so a second one would silently drop the first provider (and the secrets
 * it resolves).
 */
class ServicePropertiesFilesTest {

    @Test
    void shouldNameEveryKeyOnce() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("k8s", "docker")) {
            try (Stream<Path> walk = Files.walk(RepositoryFiles.path(dir))) {
                walk.filter(p -> p.toString().endsWith(".properties")).forEach(files::add);
            }
        }
        assertFalse(files.isEmpty());
        List<String> repeated = new ArrayList<>();
        for (Path file : files) {
            Map<String, Integer> seen = new HashMap<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("!") || !line.contains("=")) {
                    continue;
                }
                String key = line.substring(0, line.indexOf('=')).strip();
                Integer first = seen.putIfAbsent(key, i + 1);
                if (first != null) {
                    repeated.add(file + ": " + key + " on lines " + first + " and " + (i + 1));
                }
            }
        }
        assertEquals(List.of(), repeated);
    }
}
