package io.trailhound.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.trailhound.detect.topology.StreamProcessorConfig;
import io.trailhound.respond.ResponderConfig;

/** Parses every image's Dockerfile and checks what running it in a restricted cluster depends on. */
class DockerfilesTest {

    private static final Pattern JSON_ARRAY_ITEM = Pattern.compile("\"([^\"]*)\"");

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("stream-processor", "io.trailhound.detect.topology.StreamProcessorApp"),
                Arguments.of("responder", "io.trailhound.respond.engine.ResponderApplication"),
                Arguments.of("connect", ""));
    }

    private static Dockerfile dockerfile(String image) {
        return Dockerfile.parse(RepositoryFiles.path("docker/" + image + "/Dockerfile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldBuildWithTheWrapperInAJdkStageAndRunOnAnotherImage(String image, String mainClass) {
        Dockerfile file = dockerfile(image);
        assertTrue(file.stages().size() >= 2, image + ": multi-stage build expected");
        Dockerfile.Stage build = file.stages().get(0);
        assertTrue(build.image().contains("jdk"), image + ": build stage should be a JDK image, was " + build.image());
        assertTrue(build.all("RUN").stream().anyMatch(run -> run.arguments().contains("./mvnw")), image + ": build with ./mvnw");
        assertTrue(file.last().all("COPY").stream().anyMatch(copy -> copy.arguments().contains("--from=" + build.alias())),
                image + ": the runtime stage copies the build output from stage '" + build.alias() + "'");
        String runtime = file.last().image();
        if (image.equals("connect")) {
            assertTrue(runtime.startsWith("apache/kafka:"), "connect runs on the official apache/kafka image, was " + runtime);
        } else {
            assertTrue(runtime.contains("jre"), image + ": runtime should be a JRE image, was " + runtime);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldRunAsANumericNonRootUser(String image, String mainClass) {
        Dockerfile file = dockerfile(image);
        List<Dockerfile.Instruction> users = file.last().all("USER");
        assertFalse(users.isEmpty(), image + ": no USER in the runtime stage (the image would run as root)");
        String user = file.resolve(file.last(), users.get(users.size() - 1).arguments()).split(":")[0];
        assertTrue(user.matches("\\d+"), image + ": USER must be numeric so runAsNonRoot can verify it, was " + user);
        assertNotEquals(0, Integer.parseInt(user), image + ": USER 0 is root");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldNeverAddRemoteUrls(String image, String mainClass) {
        for (Dockerfile.Stage stage : dockerfile(image).stages()) {
            for (Dockerfile.Instruction add : stage.all("ADD")) {
                assertFalse(add.arguments().matches("(?s).*(https?|git)://.*"), image + ": ADD of a remote URL: " + add.arguments());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldSizeTheHeapFromTheContainerLimit(String image, String mainClass) {
        Dockerfile.Stage runtime = dockerfile(image).last();
        boolean fromLimit = Stream.of("ENTRYPOINT", "ENV", "CMD").flatMap(k -> runtime.all(k).stream())
                .anyMatch(i -> i.arguments().contains("-XX:MaxRAMPercentage="));
        assertTrue(fromLimit, image + ": -XX:MaxRAMPercentage must set the heap from the container's memory limit");
        assertFalse(runtime.instructions().stream().anyMatch(i -> i.arguments().matches("(?s).*-Xmx\\d.*")),
                image + ": a fixed -Xmx ignores the container limit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldDeclareAHealthCheckOnAServedEndpointAndKeepWritesOnVolumes(String image, String mainClass) {
        Dockerfile.Stage runtime = dockerfile(image).last();
        List<Dockerfile.Instruction> checks = runtime.all("HEALTHCHECK");
        assertEquals(1, checks.size(), image + ": one HEALTHCHECK");
        String check = checks.get(0).arguments();
        int port = port(image);
        assertTrue(check.contains(String.valueOf(port)), image + ": health check on the served port " + port + ": " + check);
        assertTrue(runtime.all("EXPOSE").stream().anyMatch(e -> e.arguments().contains(String.valueOf(port))), image + ": EXPOSE " + port);
        List<String> volumes = runtime.all("VOLUME").stream().flatMap(v -> items(v.arguments()).stream()).toList();
        assertTrue(volumes.contains("/tmp"), image + ": /tmp must be a volume for a read-only root filesystem, volumes " + volumes);
        if (image.equals("stream-processor")) {
            Map<String, Object> config = RepositoryFiles.properties(RepositoryFiles.path("docker/config/stream-processor.properties"));
            assertTrue(volumes.contains(String.valueOf(config.get(StreamProcessorConfig.STATE_DIR_CONFIG))),
                    "the state.dir of the image's configuration must be a volume, volumes " + volumes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void shouldCopyOnlyFilesThatExistAndStartAClassThatExists(String image, String mainClass) throws Exception {
        Dockerfile.Stage runtime = dockerfile(image).last();
        for (Dockerfile.Instruction copy : runtime.all("COPY")) {
            if (!copy.arguments().contains("--from=")) {
                String source = copy.arguments().trim().split("\\s+")[0];
                assertTrue(Files.exists(RepositoryFiles.root().resolve(source)), image + ": COPY of a missing file " + source);
            }
        }
        if (!mainClass.isEmpty()) {
            String entrypoint = runtime.all("ENTRYPOINT").get(0).arguments();
            assertTrue(items(entrypoint).contains(mainClass), image + ": entrypoint should start " + mainClass + ": " + entrypoint);
            assertTrue(Class.forName(mainClass).getMethod("main", String[].class) != null, mainClass + " has no main");
        }
    }

    @Test
    void shouldPutThePluginWherePluginPathPoints() {
        Dockerfile file = dockerfile("connect");
        Map<String, Object> worker = RepositoryFiles.properties(RepositoryFiles.path("docker/config/connect-distributed.properties"));
        String pluginPath = String.valueOf(worker.get("plugin.path"));
        String pluginDir = " " + pluginPath + "/trailhound-ingest-connector";
        assertTrue(file.last().all("COPY").stream().anyMatch(c -> c.arguments().contains(pluginDir)),
                "the plugin directory must be under plugin.path " + pluginPath);
    }

    private static int port(String image) {
        return switch (image) {
            case "stream-processor" -> Integer.parseInt(String.valueOf(RepositoryFiles.properties(
                    RepositoryFiles.path("docker/config/stream-processor.properties")).get(StreamProcessorConfig.HTTP_PORT_CONFIG)));
            case "responder" -> Integer.parseInt(String.valueOf(RepositoryFiles.properties(
                    RepositoryFiles.path("docker/config/responder.properties")).get(ResponderConfig.HTTP_PORT_CONFIG)));
            default -> Integer.parseInt(String.valueOf(RepositoryFiles.properties(
                    RepositoryFiles.path("docker/config/connect-distributed.properties")).get("listeners")).replaceAll(".*:", ""));
        };
    }

    private static List<String> items(String arguments) {
        String text = arguments.trim();
        if (!text.startsWith("[")) {
            return List.of(text.split("\\s+"));
        }
        Matcher matcher = JSON_ARRAY_ITEM.matcher(text);
        return matcher.results().map(r -> r.group(1)).toList();
    }
}
