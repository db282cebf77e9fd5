package io.trailhound.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue #15 item 3: the technique table matches the pathfinding reference files (one YAML per documented path, read from
 * {@code -Dtrailhound.pathfinding.dir}, by default {@code ../shared/data/reference/pathfinding} beside the project): every
 * implemented id exists there with exactly the same required permissions, and every reference id is either implemented or
 * named as not modelled.
 */
class TechniqueCatalogTest {

    private static Map<String, List<String>> reference() throws IOException {
        String root = System.getProperty("trailhound.root", "..");
        Path dir = Path.of(System.getProperty("trailhound.pathfinding.dir", root + "/../shared/data/reference/pathfinding"));
        Assumptions.assumeTrue(Files.isDirectory(dir), "pathfinding reference data not found at " + dir);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, List<String>> byId = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        for (Path file : files) {
            JsonNode node = yaml.readTree(file.toFile());
            List<String> required = new ArrayList<>();
            node.path("permissions").path("required").forEach(p -> required.add(p.path("permission").asText()));
            byId.put(node.path("id").asText(), required);
        }
        return byId;
    }

    @Test
    void shouldListExactlyTheReferencePermissionsForEveryImplementedTechnique() throws IOException {
        Map<String, List<String>> reference = reference();
        assertTrue(reference.size() >= 60, "reference files read: " + reference.size());
        for (Technique t : TechniqueCatalog.all()) {
            assertTrue(reference.containsKey(t.id()), "not a reference id: " + t.id());
            assertEquals(Set.copyOf(reference.get(t.id())), Set.copyOf(t.required()), t.id());
            assertEquals(reference.get(t.id()).size(), t.required().size(), t.id() + " lists a permission twice");
        }
    }

    @Test
    void shouldImplementOrNameEveryReferenceTechnique() throws IOException {
        Set<String> covered = new HashSet<>(TechniqueCatalog.NOT_MODELLED);
        TechniqueCatalog.all().forEach(t -> covered.add(t.id()));
        assertEquals(reference().keySet(), covered);
        assertTrue(TechniqueCatalog.NOT_MODELLED.stream().noneMatch(id -> TechniqueCatalog.byId(id).isPresent()));
    }

    @Test
    void shouldImplementTheServicesTheIssueNames() {
        for (String service : List.of("lambda", "ec2", "cloudformation", "glue", "codebuild", "ecs", "sagemaker")) {
            assertTrue(TechniqueCatalog.all().stream().anyMatch(t -> t.id().startsWith(service + "-")
                && t.category() == Technique.Category.PASS_ROLE), service);
        }
    }
}
