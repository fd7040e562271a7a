package io.ordersvc.ui;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.ordersvc.stack.LocalStack;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The web UI learns its provider from the service before anyone signs in: {@code GET /ui/settings}
 * is open to anyone and names a real issuer and client; the UI's page, and it alone, may connect to
 * that provider.
 */
@QuarkusTest
class UiSettingsTest {

    private final String issuer = LocalStack.forTests().issuer();

    @Test
    void anyone_learns_the_issuer_and_the_uis_client_without_a_token() {
        given().get("/ui/settings").then().statusCode(200).contentType("application/json")
                .body("issuer", equalTo(issuer)).body("clientId", equalTo("ordersvc-web"));
        // a token the service refuses changes nothing for an open endpoint
        given().header("Authorization", "Bearer not-a-token").get("/ui/settings").then().statusCode(200)
                .body("clientId", equalTo("ordersvc-web"));
    }

    @Test
    void the_issuer_named_is_the_provider_whose_login_page_knows_the_uis_client() throws Exception {
        String named = given().get("/ui/settings").then().extract().path("issuer");
        JsonNode discovery = new ObjectMapper().readTree(fetch(named + "/.well-known/openid-configuration"));
        assertThat(discovery.path("issuer").asText()).isEqualTo(named);
        // the provider's own login page, for the UI's client coming back to this service's origin with PKCE
        String page = fetch(discovery.path("authorization_endpoint").asText() + "?client_id=ordersvc-web"
                + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode("http://localhost:8080/", UTF_8)
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
        assertThat(page).contains("name=\"username\"", "name=\"password\"");
    }

    /** The provider's answer, read past the service's API-document checks (it is not this service). */
    private static String fetch(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    @Test
    void only_the_uis_page_may_connect_to_the_provider() {
        String provider = UiPagePolicy.origin(issuer);
        for (String page : new String[] {"/", "/index.html"}) {
            given().get(page).then().statusCode(200)
                    .header("Content-Security-Policy", containsString("connect-src 'self' " + provider + ";"))
                    .header("Content-Security-Policy", containsString("script-src 'self';"));
        }
        given().get("/ui/settings").then().statusCode(200)
                .header("Content-Security-Policy", containsString("connect-src 'self';"))
                .header("Content-Security-Policy", not(containsString(provider)));
        given().get("/js/app.js").then().statusCode(200)
                .header("Content-Security-Policy", not(containsString(provider)));
    }
}
