package io.ordersvc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What can be known of the container images without a container engine, checked on what the build
 * wrote: it runs after {@code package} (failsafe), so that every file a Dockerfile copies is there
 * or named by the build. Each image copies only what the build made, runs as a user that is not
 * root, and exposes exactly the ports the %prod profile listens on.
 */
class ContainerImagesIT {

    private static final Path DOCKER = Path.of("src/main/docker");
    // Quarkus' defaults for quarkus.http.port and quarkus.management.port, used where %prod sets none
    private static final int QUARKUS_HTTP_PORT = 8080;
    private static final int QUARKUS_MANAGEMENT_PORT = 9000;

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void every_image_runs_as_a_user_that_is_not_root(String name) {
        Dockerfile image = Dockerfile.read(DOCKER.resolve(name));

        List<String> users = image.arguments("USER");
        assertThat(users).as("%s sets its user", name).isNotEmpty();
        String user = users.get(users.size() - 1).split(":")[0];
        // numeric, so that Kubernetes' runAsNonRoot can verify it without the image's /etc/passwd
        assertThat(user).as("the user %s runs as", name).matches("[0-9]+").isNotEqualTo("0");
        assertThat(user).isEqualTo(name.equals("Dockerfile.jvm") ? "185" : "1001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void every_image_exposes_the_http_and_management_ports_of_the_prod_profile(String name) throws IOException {
        Set<Integer> exposed = Dockerfile.read(DOCKER.resolve(name)).arguments("EXPOSE").stream()
                .flatMap(ports -> Stream.of(ports.split("\\s+")))
                .map(port -> Integer.parseInt(port.replace("/tcp", "")))
                .collect(Collectors.toSet());

        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            config.load(in);
        }
        assertThat(prod(config, "quarkus.management.enabled", "false"))
                .as("health and metrics have a port of their own in %prod").isEqualTo("true");
        int http = Integer.parseInt(prod(config, "quarkus.http.port", Integer.toString(QUARKUS_HTTP_PORT)));
        int management = Integer.parseInt(prod(config, "quarkus.management.port", Integer.toString(QUARKUS_MANAGEMENT_PORT)));
        assertThat(exposed).as("the ports %s exposes", name).containsExactlyInAnyOrder(http, management);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"})
    void every_image_is_one_stage_on_a_pinned_base_that_builds_and_installs_nothing(String name) {
        Dockerfile image = Dockerfile.read(DOCKER.resolve(name));

        List<String> bases = image.arguments("FROM");
        assertThat(bases).as("one stage: nothing of a build stage can be left in the image").hasSize(1);
        String base = bases.get(0);
        assertThat(base).as("a base with a tag of its own").matches("[^\\s]+:[^\\s:/]+").doesNotEndWith(":latest");
        assertThat(image.arguments("RUN")).as("no step that installs or builds in the runtime image").isEmpty();
        if (name.equals("Dockerfile.jvm")) {
            // a JRE, no JDK: no compiler in the image that runs the service
            assertThat(base).contains("-runtime:");
        }
    }

    @Test
    void the_jvm_image_copies_the_fast_jar_that_package_wrote() throws IOException {
        List<Copy> copies = Dockerfile.read(DOCKER.resolve("Dockerfile.jvm")).copies();

        assertThat(copies).extracting(Copy::source).containsExactly("target/quarkus-app/lib/", "target/quarkus-app/*.jar",
                "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
        for (Copy copy : copies) {
            List<Path> found = matches(copy.source());
            assertThat(found).as("%s after package", copy.source()).isNotEmpty();
            if (copy.source().endsWith("/")) {
                assertThat(found.get(0)).isDirectoryContaining(path -> true);
            }
        }
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).isRegularFile();
        assertThat(copies).extracting(Copy::target).contains("/deployments/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.native", "Dockerfile.native-micro"})
    void the_native_images_copy_the_executable_that_the_native_build_writes(String name) {
        List<Copy> copies = Dockerfile.read(DOCKER.resolve(name)).copies();

        // where `./mvnw package -Pnative` writes the executable: the build passes it here (pom.xml, failsafe)
        Path executable = Path.of("").toAbsolutePath().relativize(Path.of(System.getProperty("native.image.path")));
        assertThat(copies).hasSize(1);
        Copy copy = copies.get(0);
        assertThat(FileSystems.getDefault().getPathMatcher("glob:" + copy.source()).matches(executable))
                .as("%s copies %s", copy.source(), executable).isTrue();
        assertThat(copy.target()).isEqualTo("/work/application");
        assertThat(copy.flags()).as("executable, and not writable by the user it runs as").contains("--chmod=0555")
                .noneMatch(flag -> flag.startsWith("--chown"));
        assertThat(Dockerfile.read(DOCKER.resolve(name)).arguments("ENTRYPOINT")).singleElement().asString()
                .contains("./application");
    }

    /** A setting as the %prod profile sees it: its %prod value, else its own, else Quarkus' default. */
    private static String prod(Properties config, String key, String quarkusDefault) {
        String value = config.getProperty("%prod." + key, config.getProperty(key, quarkusDefault));
        // an expression with a default (${QUARKUS_HTTP_PORT:8080}) listens on its default
        return value.matches("\\$\\{[^:}]+:[^}]*}") ? value.substring(value.indexOf(':') + 1, value.length() - 1) : value;
    }

    /** The paths (relative to the project) a COPY source names; its wildcards as Docker reads them. */
    private static List<Path> matches(String source) throws IOException {
        String pattern = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        Path fixed = Path.of(pattern.replaceAll("/[^/]*[*?\\[].*$", ""));
        if (fixed.toString().equals(pattern)) {
            return Files.exists(fixed) ? List.of(fixed) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = Path.of(pattern).getNameCount() - fixed.getNameCount();
        try (Stream<Path> paths = Files.walk(fixed, depth)) {
            return paths.filter(matcher::matches).toList();
        }
    }

    record Copy(List<String> flags, String source, String target) {
    }

    /** A Dockerfile's instructions, continuation lines joined and comments left out. */
    record Dockerfile(List<String[]> instructions) {

        static Dockerfile read(Path file) {
            try {
                String text = Files.readAllLines(file).stream().filter(line -> !line.strip().startsWith("#"))
                        .collect(Collectors.joining("\n")).replaceAll("\\\\\n", " ");
                return new Dockerfile(text.lines().map(String::strip).filter(line -> !line.isEmpty())
                        .map(line -> line.split("\\s+", 2)).toList());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        List<String> arguments(String instruction) {
            return instructions.stream().filter(i -> i[0].equalsIgnoreCase(instruction)).map(i -> i.length > 1 ? i[1] : "")
                    .toList();
        }

        List<Copy> copies() {
            assertThat(arguments("ADD")).as("COPY, not ADD: nothing fetched or unpacked").isEmpty();
            return arguments("COPY").stream().map(args -> {
                List<String> words = List.of(args.split("\\s+"));
                List<String> flags = words.stream().takeWhile(w -> w.startsWith("--")).toList();
                assertThat(flags).as("copied from the build context, not from another stage")
                        .noneMatch(flag -> flag.startsWith("--from"));
                List<String> paths = words.subList(flags.size(), words.size());
                assertThat(paths).as("one source and its target: %s", args).hasSize(2);
                return new Copy(flags, paths.get(0), paths.get(1));
            }).toList();
        }
    }
}
