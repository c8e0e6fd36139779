package vn.lgsp.auth.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Failed admin logins are counted in PostgreSQL, so every auth replica sees them: failures another replica
 * recorded (rows written straight into the table here) block a login on this one, and a success anywhere clears them.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class SharedLoginThrottleTest {

    private static final String PASSWORD = "long-enough-pass";

    @Inject
    Pool pool;

    @Inject
    SharedLoginThrottle throttle;

    private static io.restassured.response.ValidatableResponse login(String username, String password) {
        return given().contentType(ContentType.JSON).body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/api/v1/admin/login").then();
    }

    private static String account() {
        String username = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"auditor\"}")
                .post("/api/v1/admin/accounts").then().statusCode(201);
        return username;
    }

    private long failures(String username) {
        return pool.preparedQuery("SELECT count(*) AS n FROM login_failure WHERE key = $1").execute(Tuple.of("p:account:" + username))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("n");
    }

    private void failedElsewhere(String username, int times, int secondsAgo) {
        for (int i = 0; i < times; i++) {
            pool.preparedQuery("INSERT INTO login_failure (key, failed_at) VALUES ($1, now() - make_interval(secs => $2))")
                    .execute(Tuple.of("p:account:" + username, (double) secondsAgo)).await().atMost(Duration.ofSeconds(5));
        }
    }

    @Test
    void failuresAnotherReplicaSawBlockTheLoginHereAndASuccessClearsThem() {
        String username = account();
        login(username, "wrong-guess-1").statusCode(401);
        assertEquals(1, failures(username), "a failed login is written where every replica reads it");

        failedElsewhere(username, 4, 1);
        login(username, PASSWORD).statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:rate-limited"));

        // the failures leave the window (another replica's success would clear them the same way)
        pool.preparedQuery("DELETE FROM login_failure WHERE key = $1").execute(Tuple.of("p:account:" + username))
                .await().atMost(Duration.ofSeconds(5));
        login(username, "wrong-guess-2").statusCode(401);
        login(username, PASSWORD).statusCode(200);
        assertEquals(0, failures(username), "a success clears the username's failures for every replica");
    }

    @Test
    void onlyFailuresInsideTheWindowCountAndOldOnesArePurged() {
        String username = account();
        failedElsewhere(username, 10, 3600); // the test window is the default 5 minutes
        login(username, PASSWORD).statusCode(200);

        failedElsewhere(username, 3, 3600);
        failedElsewhere(username, 5, 60);
        long wait = throttle.retryAfterSeconds("p:account:" + username, 5).await().atMost(Duration.ofSeconds(5));
        assertTrue(wait > 200 && wait <= 240, "blocked until the 5th newest failure (1 min old) leaves the 5 min window: " + wait);
        assertEquals(0L, throttle.retryAfterSeconds("p:account:" + username, 6).await().atMost(Duration.ofSeconds(5)),
                "5 failures in the window are below a limit of 6");

        throttle.purge().await().atMost(Duration.ofSeconds(5));
        assertEquals(5, failures(username), "rows older than the window are purged, the others kept");
    }
}
