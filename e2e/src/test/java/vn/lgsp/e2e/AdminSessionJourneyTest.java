package vn.lgsp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.e2e.FirstJourneyTest.eventually;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.e2e.PlatformClient.Reply;

/**
 * An admin's tokens end with its access, on every service's API, not only at auth: an auditor's token works on
 * all five; once an operator disables the account, each refuses it within seconds (they poll auth's revocation
 * feed; routing through its snapshot loader), and enabling the account again does not revive it. A token the
 * auditor logs out with, and every token of an account whose password an operator reset, go the same way.
 */
class AdminSessionJourneyTest {

    /** A read an auditor may make on each service's API. */
    private static final Map<String, String> READS = new LinkedHashMap<>();

    static {
        READS.put("auth", "/api/v1/admin/accounts?size=1");
        READS.put("registry", "/api/v1/agencies?size=1");
        READS.put("catalog", "/api/v1/services?size=1");
        READS.put("audit", "/api/v1/alerts?size=1");
        READS.put("routing", "/api/v1/routing/status");
    }

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void disabledLoggedOutAndResetAccountsLoseTheirTokensOnEveryService() {
        Platform platform = SharedPlatform.get();
        PlatformClient client = PlatformClient.of(platform);
        String op = client.login(platform.operatorUsername(), platform.operatorPassword());
        String username = "kiem-toan-" + System.nanoTime() % 100000;
        String password = "mat-khau-kiem-toan-" + System.nanoTime();
        client.post("auth", "/api/v1/admin/accounts", op, Map.of("username", username, "password", password, "role", "auditor"))
                .expect(201);

        // disable: every service refuses the token it already holds
        String token = client.login(username, password);
        READS.forEach((svc, path) -> client.get(svc, path, token).expect(200));
        client.post("auth", "/api/v1/admin/accounts/" + username + "/disable", op, Map.of()).expect(200);
        READS.forEach((svc, path) -> refusedAsRevoked(client, svc, path, token));
        client.post("auth", "/api/v1/admin/accounts/" + username + "/enable", op, Map.of()).expect(200);
        READS.forEach((svc, path) -> assertEquals(401, client.get(svc, path, token).status(), svc + ": not revived by enabling"));

        // logout: the token logged out with, and no other
        String first = client.login(username, password);
        String second = client.login(username, password);
        READS.forEach((svc, path) -> eventually(WITHIN, () -> client.get(svc, path, first), r -> r.status() == 200).expect(200));
        client.post("auth", "/api/v1/admin/logout", first, Map.of()).expect(204);
        READS.forEach((svc, path) -> refusedAsRevoked(client, svc, path, first));
        READS.forEach((svc, path) -> client.get(svc, path, second).expect(200));

        // an operator resets the password: the old one no longer logs in, and the tokens it gave are refused
        String reset = "mat-khau-moi-" + System.nanoTime();
        client.post("auth", "/api/v1/admin/accounts/" + username + "/password", op, Map.of("newPassword", reset)).expect(204);
        READS.forEach((svc, path) -> refusedAsRevoked(client, svc, path, second));
        Reply oldPassword = client.post("auth", "/api/v1/admin/login", null, Map.of("username", username, "password", password));
        assertEquals(401, oldPassword.status());
        String fresh = client.login(username, reset);
        READS.forEach((svc, path) -> client.get(svc, path, fresh).expect(200));

        // the operator's own token was never touched
        READS.forEach((svc, path) -> client.get(svc, path, op).expect(200));
    }

    private static void refusedAsRevoked(PlatformClient client, String service, String path, String token) {
        Reply r = eventually(WITHIN, () -> client.get(service, path, token), x -> x.status() == 401);
        assertEquals(401, r.status(), service + " still accepts a revoked token: " + r.raw());
        assertTrue(r.contentType().startsWith("application/problem+json"), service + ": " + r.contentType());
        assertTrue(r.json().path("detail").asText().contains("revoked"), service + ": " + r.raw());
    }
}
