package io.trailhound.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds files the Maven reactor builds (e.g. the registry runner jar) from tests, the CLI and the demo. */
public final class ReactorPaths {

    /** System property naming the reactor root; set by surefire and failsafe. */
    public static final String ROOT_PROPERTY = "trailhound.root";

    private ReactorPaths() {
    }

    /** The reactor root: {@code -Dtrailhound.root}, else the nearest parent of the working directory with a {@code .mvn} folder. */
    public static Path root() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".mvn")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("Cannot find the Trailhound source tree from " + dir
            + ": run from inside it or set -D" + ROOT_PROPERTY + "=<path>");
    }

    /** The single file in {@code dir} whose name ends with {@code suffix}, if any. */
    public static Optional<Path> findBySuffix(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path file : files) {
                return Optional.of(file);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
