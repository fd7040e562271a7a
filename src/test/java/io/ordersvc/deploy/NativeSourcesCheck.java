package io.ordersvc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ordersvc.cqrs.eventlog.DomainEvent;
import io.ordersvc.cqrs.http.Problem;
import jakarta.validation.Valid;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the native build prepares, checked where no native-image is installed: on the sources that
 * {@code ./mvnw verify -Pnative -Dquarkus.native.sources-only=true} writes to target/native-sources
 * (the arguments for native-image and the jar it compiles, with its reflection and resource
 * configuration). The profile {@code native-sources} (pom.xml) runs this class, and only it: the
 * name keeps it out of the JVM build's test runs, where those sources are not written.
 */
class NativeSourcesCheck {

    private static final Path SOURCES = Path.of("target/native-sources");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<String> arguments;
    private static Map<String, JsonNode> reflection;
    private static List<Pattern> resources;
    private static final List<JavaClass> SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.ordersvc").stream().toList();

    @BeforeAll
    static void readTheNativeSources() throws IOException {
        arguments = List.of(Files.readString(SOURCES.resolve("native-image.args")).strip().split("\\s+"));
        String jar = arguments.get(arguments.indexOf("-jar") + 1);
        try (ZipFile runner = new ZipFile(SOURCES.resolve(jar).toFile())) {
            reflection = new HashMap<>();
            for (JsonNode entry : read(runner, "META-INF/native-image/reflect-config.json")) {
                // a class may be named more than once; what any entry grants counts
                reflection.merge(entry.get("name").asText(), entry, (a, b) -> ((ObjectNode) a.deepCopy()).setAll((ObjectNode) b));
            }
            resources = new ArrayList<>();
            read(runner, "META-INF/native-image/resource-config.json").path("resources").path("includes")
                    .forEach(include -> resources.add(Pattern.compile(include.get("pattern").asText())));
        }
    }

    @Test
    void native_image_writes_the_executable_the_native_images_copy() {
        // native-image [options] <image name> -jar <jar>
        String image = arguments.get(arguments.indexOf("-jar") - 1);
        assertThat(image).isEqualTo(Path.of(System.getProperty("native.image.path")).getFileName().toString())
                .endsWith("-runner");
    }

    @Test
    void every_event_and_every_record_it_holds_is_registered_for_reflection() {
        Set<String> events = new TreeSet<>();
        for (JavaClass type : SERVICE.stream().filter(c -> c.isAssignableTo(DomainEvent.class) && !c.isInterface()).toList()) {
            collect(type.reflect(), events);
        }
        assertThat(events).as("events found").hasSizeGreaterThanOrEqualTo(9);
        assertThat(events).allSatisfy(NativeSourcesCheck::registeredForJackson);
    }

    @Test
    void the_records_of_read_models_and_change_data_are_registered_for_reflection() {
        Set<String> records = new TreeSet<>();
        SERVICE.stream().filter(c -> c.getPackageName().matches("io\\.ordersvc\\.\\w+\\.projection") && c.reflect().isRecord())
                .forEach(c -> collect(c.reflect(), records));
        assertThat(records).as("read model records found").isNotEmpty();
        assertThat(records).allSatisfy(NativeSourcesCheck::registeredForJackson);
    }

    @Test
    void every_command_a_resource_accepts_is_registered_for_reflection_since_its_idempotency_hash_is_written_by_jackson() {
        Set<String> commands = new TreeSet<>();
        for (JavaClass resource : SERVICE.stream().filter(c -> c.getSimpleName().endsWith("Resource")).toList()) {
            for (Method method : resource.reflect().getDeclaredMethods()) {
                for (Parameter parameter : method.getParameters()) {
                    if (parameter.isAnnotationPresent(Valid.class) && parameter.getType().getName().startsWith("io.ordersvc.")
                            && !parameter.getType().getName().startsWith("io.ordersvc.cqrs.security.")) {
                        collect(parameter.getType(), commands);
                    }
                }
            }
        }
        assertThat(commands).as("commands found").hasSizeGreaterThanOrEqualTo(5);
        assertThat(commands).allSatisfy(NativeSourcesCheck::registeredForJackson);
    }

    @Test
    void problem_details_are_registered_for_reflection() {
        Set<String> problem = new TreeSet<>();
        collect(Problem.class, problem);
        collect(Problem.FieldError.class, problem);
        assertThat(problem).allSatisfy(NativeSourcesCheck::registeredForJackson);
    }

    @Test
    void the_lua_scripts_and_the_migrations_are_native_resources() throws IOException {
        for (String folder : List.of("lua", "db/migration")) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources", folder))) {
                List<String> names = files.map(f -> folder + "/" + f.getFileName()).toList();
                assertThat(names).as(folder).isNotEmpty()
                        .allSatisfy(name -> assertThat(resources).as(name).anyMatch(p -> p.matcher(name).matches()));
            }
        }
    }

    /** Jackson makes, reads and writes the class by reflection: its constructors, accessors and fields. */
    private static void registeredForJackson(String type) {
        JsonNode entry = reflection.get(type);
        assertThat(entry).as("%s in reflect-config.json", type).isNotNull();
        assertThat(entry.path("allDeclaredConstructors").asBoolean()).as("%s: constructors", type).isTrue();
        assertThat(entry.path("allDeclaredMethods").asBoolean()).as("%s: methods", type).isTrue();
        assertThat(entry.path("allDeclaredFields").asBoolean()).as("%s: fields", type).isTrue();
    }

    /** The type, and the service's own types its record components hold (in lists, too), recursively. */
    private static void collect(Class<?> type, Set<String> into) {
        if (!type.getName().startsWith("io.ordersvc.") || !into.add(type.getName()) || !type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            collect(component.getType(), into);
            collectArguments(component.getGenericType(), into);
        }
    }

    private static void collectArguments(Type type, Set<String> into) {
        if (type instanceof ParameterizedType parameterized) {
            for (Type argument : parameterized.getActualTypeArguments()) {
                if (argument instanceof Class<?> c) {
                    collect(c, into);
                }
                collectArguments(argument, into);
            }
        }
    }

    private static JsonNode read(ZipFile jar, String entry) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            return JSON.readTree(in);
        }
    }
}
