package io.trailhound.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The deployment files of the repository (docker/, k8s/, iam/, docker-compose.yml), read as the tests need them. */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The repository root: {@code -Dtrailhound.root}, else the parent of the deploy module. */
    static Path root() {
        String configured = System.getProperty("trailhound.root", "");
        Path root = configured.isBlank() ? Path.of("").toAbsolutePath().getParent() : Path.of(configured);
        if (!Files.isRegularFile(root.resolve("docker-compose.yml"))) {
            throw new IllegalStateException("no docker-compose.yml under " + root + "; set -Dtrailhound.root to the repository");
        }
        return root;
    }

    static Path path(String relative) {
        Path file = root().resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalStateException("missing " + relative);
        }
        return file;
    }

    static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String relative) {
        return text(path(relative));
    }

    /** A YAML document as plain maps and lists (safe constructor: no arbitrary types). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text(file));
        if (!(loaded instanceof Map)) {
            throw new IllegalStateException(file + " is not a YAML mapping");
        }
        return (Map<String, Object>) loaded;
    }

    /** A properties file as an ordered map of strings. */
    static Map<String, Object> properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(name -> map.put(name, properties.getProperty(name)));
        return map;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }
}
