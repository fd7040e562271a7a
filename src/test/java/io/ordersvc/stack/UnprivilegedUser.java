package io.ordersvc.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** PostgreSQL will not run as root: as root, the stack runs it as the system user {@code postgres}. */
final class UnprivilegedUser {

    static final String NAME = "postgres";

    private UnprivilegedUser() {
    }

    /** The user, created as a system account with no login when the machine has none. */
    static String ensure() {
        try {
            OsProcesses.run(Path.of("/"), List.of("id", "-u", NAME), Duration.ofSeconds(10));
        } catch (IllegalStateException missing) {
            OsProcesses.run(Path.of("/"), List.of("useradd", "--system", "--no-create-home", "--user-group",
                    "--shell", "/usr/sbin/nologin", NAME), Duration.ofSeconds(30));
        }
        return NAME;
    }

    /**
     * {@code wanted} when the user can reach it; otherwise (say, a checkout under a private home
     * directory) a folder of the same name under the system's temporary directory.
     */
    static Path reachableHome(Path wanted, Optional<String> user) {
        if (user.isEmpty() || canReach(wanted.getParent().getParent(), user.get())) {
            return wanted;
        }
        return Path.of(System.getProperty("java.io.tmpdir"),
                "ordersvc-stack-" + Integer.toHexString(wanted.toString().hashCode()), "postgres");
    }

    private static boolean canReach(Path dir, String user) {
        try {
            OsProcesses.run(Path.of("/"), List.of("runuser", "-u", user, "--", "test", "-x", dir.toString()),
                    Duration.ofSeconds(10));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
