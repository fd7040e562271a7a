package io.ordersvc.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordersvc.stack.LocalStack;
import io.ordersvc.stack.RealmUsers;
import io.ordersvc.support.NodePackages;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI in a real headless Chromium, driven by playwright-core from Node: each test runs one
 * scenario of {@code src/test/browser} against this service and its real servers. Every scenario
 * signs in through the page and the identity provider's own login page (people made through the
 * realm's admin API, data through the service's API with the realm's tokens) and ends by checking
 * that no token was kept outside the page's memory or sent in a URL. Chromium comes
 * from Debian (installed here when missing and running as root); playwright-core from npm, pinned
 * by the committed package-lock.json.
 */
@QuarkusTest
class WebUiTest {

    private static final Path SOURCES = Path.of("src/test/browser");
    private static final Path WORK = Path.of("target/browser").toAbsolutePath();
    private static final Path VENDOR = Path.of("src/main/resources/META-INF/resources/js/vendor").toAbsolutePath();
    private static final Path SCREENSHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
    private static final Path CHROMIUM = Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    private static final long SCENARIO_TIMEOUT_S = 180;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void chromium_and_playwright_are_ready() throws Exception {
        ensureChromium();
        installPlaywright();
    }

    @Test
    void the_ui_store_confirms_an_action_only_on_its_change_and_rolls_a_refused_one_back() throws Exception {
        runNode("--test", "store.test.mjs");
    }

    @Test
    void the_ui_change_stream_reader_parses_events_and_resumes_with_its_token_and_last_event_id() throws Exception {
        runNode("--test", "changes.test.mjs");
    }

    @Test
    void the_ui_vendors_oidc_client_ts_and_jwt_decode_as_the_pinned_npm_packages_ship_them() throws Exception {
        runNode("--test", "vendor.test.mjs");
    }

    @Test
    void a_new_person_is_registered_at_the_first_sign_in_and_a_placed_order_shows_pending_then_confirmed() throws Exception {
        runScenario("place-order.mjs");
    }

    @Test
    void an_action_refused_because_another_tab_changed_the_order_first_rolls_back_with_the_services_message()
            throws Exception {
        runScenario("conflicting-tabs.mjs");
    }

    @Test
    void a_second_tab_sees_the_first_tabs_changes_live_without_reloading() throws Exception {
        runScenario("live-second-tab.mjs");
    }

    @Test
    void when_two_tabs_act_at_the_same_moment_one_action_wins_and_the_other_tab_rolls_back() throws Exception {
        runScenario("racing-tabs.mjs");
    }

    @Test
    void a_command_whose_answer_was_lost_is_sent_again_with_the_same_key_and_applied_once() throws Exception {
        runScenario("lost-answer-retry.mjs");
    }

    @Test
    void a_tab_that_was_away_longer_than_the_stream_keeps_refetches_on_reset_and_shows_every_order() throws Exception {
        runScenario("reset-after-absence.mjs");
    }

    @Test
    void a_customer_can_neither_see_nor_act_on_another_customers_orders_which_look_like_unknown_ones() throws Exception {
        runScenario("customer-isolation.mjs");
    }

    @Test
    void staff_confirm_and_ship_a_customers_order_and_the_customers_tab_sees_each_step_live() throws Exception {
        runScenario("staff-ships.mjs");
    }

    @Test
    void an_order_confirmed_in_one_tab_appears_in_staffs_shipping_queue_in_another_and_leaves_it_once_shipped()
            throws Exception {
        runScenario("shipping-queue.mjs");
    }

    @Test
    void signing_in_and_out_goes_through_the_providers_login_and_end_session_and_a_refused_token_returns_to_sign_in()
            throws Exception {
        runScenario("sign-in-and-out.mjs");
    }

    @Test
    void the_page_renews_its_token_before_it_expires_and_its_streams_resume_with_the_renewed_one() throws Exception {
        runScenario("token-renewal.mjs");
    }

    private void runScenario(String script) throws Exception {
        runNode(script);
    }

    private void runNode(String... arguments) throws Exception {
        String script = arguments[arguments.length - 1];
        Path log = WORK.resolve("logs").resolve(script.replace(".mjs", ".log"));
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(arguments));
        ProcessBuilder node = new ProcessBuilder(command).directory(WORK.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        node.environment().putAll(Map.of(
                "UI_BASE_URL", base.toString(),
                "OIDC_ISSUER", LocalStack.forTests().issuer(),
                "OIDC_ADMIN_USER", RealmUsers.ADMIN_USER,
                "OIDC_ADMIN_PASSWORD", RealmUsers.ADMIN_PASSWORD,
                "OIDC_SCRIPT_CLIENT", RealmUsers.CLI_CLIENT,
                "UI_SCREENSHOTS", SCREENSHOTS.toString(),
                "UI_PROFILE_DIR", WORK.resolve("profiles").toString(),
                "CHROMIUM", CHROMIUM.toString(),
                "UI_VENDOR_DIR", VENDOR.toString()));
        long started = System.nanoTime();
        Process process = node.start();
        boolean finished = process.waitFor(SCENARIO_TIMEOUT_S, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf("%s took %.1f s%n%s%n", script, (System.nanoTime() - started) / 1e9, output);
        assertThat(finished).as("%s finished within %d s; its output:%n%s", script, SCENARIO_TIMEOUT_S, output).isTrue();
        assertThat(process.exitValue()).as("exit code of node %s; its output:%n%s", script, output).isZero();
    }

    /** Debian's Chromium: installed when missing if we may, else the test fails saying how to get it. */
    private static void ensureChromium() throws Exception {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && CHROMIUM.toString().equals("/usr/bin/chromium")) {
            int code = run(List.of("apt-get", "install", "-y", "chromium"), Path.of("."), 600);
            if (code != 0) {
                run(List.of("apt-get", "update"), Path.of("."), 600);
                run(List.of("apt-get", "install", "-y", "chromium"), Path.of("."), 600);
            }
        }
        assertThat(Files.isExecutable(CHROMIUM))
                .as("the browser tests need Chromium at %s; install it with `sudo apt-get install -y chromium` "
                        + "(Debian/Ubuntu) or pass -Dchromium=/path/to/chromium", CHROMIUM)
                .isTrue();
    }

    /** npm ci of the pinned playwright-core into target/browser, with the scenarios beside it. */
    private static void installPlaywright() throws Exception {
        NodePackages.install(SOURCES, WORK, "playwright-core");
    }

    /** Runs a command with its output in target/browser/logs (the test JVM's own stdout belongs to surefire). */
    private static int run(List<String> command, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = WORK.resolve("logs").resolve(command.get(0) + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        System.out.printf("%s: exit %d, output in %s%n", String.join(" ", command), process.exitValue(), log);
        return process.exitValue();
    }
}
