package vn.lgsp.registry.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** A connection request's requested services are checked against catalog, through a guarded client. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class RequestedServicesTest {

    @AfterEach
    void catalogBack() {
        AuthStub.catalogMode = "ok";
    }

    private static ValidatableResponse submit(String token, String system, String contact, String services) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body("""
                {"systemCode":"%s","purpose":"Tra cứu","dataScope":"Họ tên","requestedServices":%s,
                 "expectedFrequency":"100/ngày","technicalContactId":"%s"}""".formatted(system, services, contact))
                .post("/api/v1/connection-requests").then();
    }

    private static int requestsOf(String system) {
        return given().auth().oauth2(TestJwt.operator()).queryParam("systemCode", system).get("/api/v1/connection-requests")
                .then().statusCode(200).extract().jsonPath().getInt("total");
    }

    @Test
    void unknownOrUnrequestableServicesAreNamedByIndexAndNothingIsWritten() {
        String agency = Fixtures.agency("Sở Tư pháp", null);
        String system = Fixtures.system(agency, false);
        String contact = Fixtures.contact(system);
        String admin = TestJwt.agencyAdmin(agency);
        submit(admin, system, contact, "[\"dan-cu:v1\",\"dan-cu:v2\",\"ho-tich:v1\",\"khong-co:v1\",\"dan-cu:v9\",\"dan-cu:v3\"]")
                .statusCode(422).contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:unprocessable"))
                .body("errors", hasSize(4))
                .body("errors.find { it.field == 'requestedServices[1]' }.rule", equalTo("publishedOrTesting"))
                .body("errors.find { it.field == 'requestedServices[2]' }.rule", equalTo("publishedOrTesting"))
                .body("errors.find { it.field == 'requestedServices[3]' }.rule", equalTo("existsInCatalog"))
                .body("errors.find { it.field == 'requestedServices[4]' }.rule", equalTo("existsInCatalog"))
                .body("errors.field", not(hasItem("requestedServices[0]")))
                .body("errors.field", not(hasItem("requestedServices[5]")));
        assertEquals(0, requestsOf(system), "nothing was written");
        assertTrue(AuthStub.CATALOG_CALLS.stream().anyMatch(c -> c.equals("/api/v1/services/khong-co/versions Bearer "
                + AuthStub.SERVICE_TOKEN)), "catalog was asked with registry's service token");

        // Another agency's admin learns nothing about catalog: it is refused first.
        String stranger = TestJwt.agencyAdmin(Fixtures.agency("Sở khác", null));
        submit(stranger, system, contact, "[\"khong-co:v1\"]").statusCode(403);

        submit(admin, system, contact, "[\"dan-cu:v1\",\"dan-cu:v3\",\"ho-tich:v2\",\"dan-cu:v1\"]").statusCode(201)
                .body("requestedServices", hasSize(3));
        assertEquals(1, requestsOf(system));
    }

    @Test
    void catalogUnreachableIs503WithRetriesThenTheBreakerFailsFastAndRecovers() throws InterruptedException {
        String agency = Fixtures.agency("Sở Xây dựng", null);
        String system = Fixtures.system(agency, false);
        String contact = Fixtures.contact(system);
        String admin = TestJwt.agencyAdmin(agency);

        AuthStub.catalogMode = "error";
        int before = AuthStub.CATALOG_CALLS.size();
        submit(admin, system, contact, "[\"dan-cu:v1\"]").statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:unavailable")).header("Retry-After", equalTo("5"));
        assertEquals(2, AuthStub.CATALOG_CALLS.size() - before, "one retry after the first failure");
        AuthStub.catalogMode = "drop";
        submit(admin, system, contact, "[\"dan-cu:v1\"]").statusCode(503);
        submit(TestJwt.operator(), system, contact, "[\"dan-cu:v1\"]").statusCode(503);
        assertEquals(0, requestsOf(system), "nothing was written while catalog was down");

        // Three failed lookups in a row: the breaker is open and registry stops calling catalog for a while.
        int open = AuthStub.CATALOG_CALLS.size();
        submit(admin, system, contact, "[\"dan-cu:v1\"]").statusCode(503);
        assertEquals(open, AuthStub.CATALOG_CALLS.size(), "failed fast without calling catalog");

        // Open for 3 s in tests (long enough that the calls above cannot outlast it on a slow box). Then one trial
        // goes through: catalog answers it, if only with a refusal (502 to the caller), so catalog is reachable and
        // the breaker closes — a trial with neither outcome used to hold it open for good.
        AuthStub.catalogMode = "forbidden";
        long deadline = System.currentTimeMillis() + 8000;
        int status;
        while ((status = submit(admin, system, contact, "[\"dan-cu:v1\"]").extract().statusCode()) == 503
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(502, status, "the trial reached catalog, which refused registry");
        AuthStub.catalogMode = "ok";
        submit(admin, system, contact, "[\"dan-cu:v1\"]").statusCode(201);
    }
}
