package vn.lgsp.routing;

import static io.restassured.RestAssured.given;
import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

/** The gateway as an operator sees it: readiness, status, published keys, revocation, alerts. */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class GatewayIntegrationTest {

    @Inject
    AuditPublisher publisher;

    @Test
    void readinessReportsTheSnapshot() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'routing snapshot' }.data.catalogRevision", greaterThanOrEqualTo(1))
                .body("checks.find { it.name == 'routing snapshot' }.data.stale", equalTo(false));
        assertEquals(0, RoutingTestResource.platform().feedCallsWithoutToken(), "feeds are polled with the service token");
    }

    @Test
    void servingContinuesFromTheLastGoodSnapshotWhenCatalogAndAuthAreDown() throws Exception {
        assertTrue(snapshotAge("revocations") < 1.5 && snapshotAge("catalog") < 1.5, "fresh while the feeds answer");
        RoutingTestResource.platform().down(true);
        try {
            Thread.sleep(2000); // a few failed polls (a poll answered just before the outage may land late)
            gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/x").then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            // what SREs alert on (the chart's LgspGatewaySnapshotStale): how old what is enforced is, per feed
            assertTrue(snapshotAge("revocations") >= 1.5, "revocations age grows: " + snapshotAge("revocations"));
            assertTrue(snapshotAge("catalog") >= 1.5, "catalog age grows: " + snapshotAge("catalog"));
        } finally {
            RoutingTestResource.platform().down(false);
        }
        long deadline = System.currentTimeMillis() + 3000;
        while (snapshotAge("revocations") >= 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(snapshotAge("revocations") < 1, "fresh again once auth answers");
    }

    /** lgsp_routing_snapshot_age_seconds{feed=...} as Prometheus scrapes it. */
    private static double snapshotAge(String feed) {
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?m)^lgsp_routing_snapshot_age_seconds\\{[^}]*feed=\"" + feed + "\"[^}]*\\} ([0-9.eE+-]+)$").matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no snapshot age for " + feed);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void statusIsForOperatorsAndAuditors() {
        // every route catalog lists (RoutingTestResource.catalog, and those other test classes added before this one)
        int routes = RoutingTestResource.platform().catalog().getJsonArray("routes").size();
        given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status").then()
                .statusCode(200)
                .body("snapshot.ready", equalTo(true))
                .body("snapshot.routes", equalTo(routes))
                .body("audit.pending", notNullValue())
                .body("audit.room", greaterThanOrEqualTo(1))
                .body("audit.rejected", equalTo(0))
                .body("audit.spool.dir", equalTo(RoutingTestResource.AUDIT_SPOOL.toString()))
                .body("audit.spool.maxBytes", equalTo(1073741824));
        given().header("Authorization", "Bearer " + TestJwt.auditor()).get("/api/v1/routing/status").then().statusCode(200);
        given().header("Authorization", "Bearer " + TestJwt.agencyAdmin("000.00.00.H01")).get("/api/v1/routing/status")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/api/v1/routing/status").then().statusCode(401);
    }

    @Test
    void recordsAreSpooledOnDiskAndTheBacklogIsExportedAsMetrics() throws Exception {
        String requestId = "spooled-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .get("/ho-tich/v1/x").then().statusCode(200);
        long deadline = System.currentTimeMillis() + 2000;
        boolean onDisk = false;
        while (!onDisk && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            try (var files = java.nio.file.Files.list(RoutingTestResource.AUDIT_SPOOL)) {
                for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                    onDisk |= java.nio.file.Files.readString(f).contains("\"requestId\":\"" + requestId + "\"");
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(onDisk, "the call's record is a line of a segment file");
        org.junit.jupiter.api.Assertions.assertTrue(publisher.spoolBytes() > 0 && publisher.spoolSegments() > 0);
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        for (String gauge : java.util.List.of("lgsp_audit_publisher_pending_events", "lgsp_audit_publisher_spool_bytes",
                "lgsp_audit_publisher_spool_max_bytes", "lgsp_audit_publisher_spool_segments",
                "lgsp_audit_publisher_refused_events_total", "lgsp_audit_publisher_rejected_events_total")) {
            org.junit.jupiter.api.Assertions.assertTrue(metrics.lines().anyMatch(l -> l.startsWith(gauge + " ")
                    || l.startsWith(gauge + "{")), gauge + " is exported");
        }
        double spooled = metrics.lines().filter(l -> l.startsWith("lgsp_audit_publisher_spool_bytes"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertTrue(spooled > 0, "spool bytes: " + spooled);
    }

    @Test
    void theAssertionKeysArePublished() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].kid", notNullValue())
                .body("keys[0].d", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aRevokedCredentialIsRefusedWithinTwoSeconds() throws Exception {
        String token = Tokens.bearer(TestJwt.system(RoutingTestResource.REVOKED, RoutingTestResource.CONSUMER_AGENCY, "production"));
        gateway().header("Authorization", token).get("/ho-tich/v1/x").then().statusCode(200);
        long revokedAt = System.currentTimeMillis();
        RoutingTestResource.platform().revokeClient("ck-" + RoutingTestResource.REVOKED);
        int status = 200;
        while (status == 200 && System.currentTimeMillis() - revokedAt < 2000) {
            Thread.sleep(50);
            status = gateway().header("Authorization", token).get("/ho-tich/v1/x").statusCode();
        }
        assertEquals(401, status);
    }

    @Test
    void anUnreachableProviderRaisesOneAlert() throws Exception {
        long deadline = System.currentTimeMillis() + 5000;
        long alerts = 0;
        while (alerts < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            alerts = publisher.snapshot().stream().filter(e -> AuditEvent.ALERT.equals(e.type())
                    && "dong".equals(e.serviceCode())).count();
        }
        assertEquals(2, alerts, "one alert per environment of the unreachable version, once");
        Thread.sleep(2200); // two more health-check rounds: still unreachable, no new alert
        AuditEvent alert = publisher.snapshot().stream().filter(e -> AuditEvent.ALERT.equals(e.type())
                && "dong".equals(e.serviceCode())).findFirst().orElseThrow();
        assertEquals(2, publisher.snapshot().stream().filter(e -> AuditEvent.ALERT.equals(e.type())
                && "dong".equals(e.serviceCode())).count());
        assertEquals(RoutingTestResource.PROVIDER, alert.providerSystem());
        assertEquals("upstream-unreachable", alert.errorType());
        given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status").then()
                .body("upstreams.values()", hasItem(false));
    }
}
