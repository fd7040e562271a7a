package io.ordersvc.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Node project the tests run (the browser scenarios, the manifests' schema validator): its files
 * copied from the sources into a work folder under target, and its pinned packages installed there
 * with {@code npm ci}, again only when its lock file changed.
 */
public final class NodePackages {

    private NodePackages() {
    }

    /**
     * Copies the files of {@code sources} into {@code work}, and runs {@code npm ci} there unless
     * {@code marker} (one of the locked packages) is installed from the same lock; its output goes to
     * {@code work/logs/npm.log}.
     */
    public static void install(Path sources, Path work, String marker) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path lock = sources.resolve("package-lock.json");
        boolean installed = Files.exists(work.resolve("node_modules/" + marker + "/package.json"))
                && Files.exists(work.resolve("package-lock.json"))
                && Arrays.equals(Files.readAllBytes(lock), Files.readAllBytes(work.resolve("package-lock.json")));
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, work.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (installed) {
            return;
        }
        Path log = work.resolve("logs").resolve("npm.log");
        Files.createDirectories(log.getParent());
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        boolean finished = npm.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            npm.destroyForcibly().waitFor();
        }
        assertThat(finished && npm.exitValue() == 0).as("npm ci of %s in %s (needs Node.js 20+ and the npm registry): %s",
                marker, work, Files.readString(log)).isTrue();
    }
}
