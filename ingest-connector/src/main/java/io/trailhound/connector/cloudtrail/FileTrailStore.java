package io.trailhound.connector.cloudtrail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A local copy of a trail bucket (e.g. made with {@code aws s3 sync}), read with S3's key semantics: keys are paths
 * relative to the root with '/' separators.
 */
public final class FileTrailStore implements TrailStore {

    private final Path root;

    /** A store over the directory {@code root}. */
    public FileTrailStore(Path root) {
        this.root = root;
    }

    @Override
    public List<String> listPrefixes(String prefix) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            requireRoot();
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                .map(child -> prefix + child.getFileName() + "/")
                .sorted()
                .toList();
        }
    }

    @Override
    public List<StoredObject> list(String prefix, String startAfter, int max) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) {
            requireRoot();
            return List.of();
        }
        List<StoredObject> found = new ArrayList<>();
        // Walks the partition's directory; keys after startAfter are kept in key order, as S3 would list them.
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = keyOf(file);
                if (key.compareTo(startAfter) > 0) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    found.add(new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
                }
            }
        }
        found.sort(Comparator.comparing(StoredObject::key));
        return found.size() > max ? List.copyOf(found.subList(0, max)) : found;
    }

    @Override
    public StoredObject stat(String key) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(resolve(key), BasicFileAttributes.class);
        return new StoredObject(key, attributes.size(), attributes.lastModifiedTime().toInstant());
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    private void requireRoot() throws NoSuchFileException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the trail copy directory does not exist");
        }
    }

    private Path resolve(String key) {
        return key.isEmpty() ? root : root.resolve(key);
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
