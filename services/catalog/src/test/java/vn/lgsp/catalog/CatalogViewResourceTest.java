package vn.lgsp.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** The read-only views, and the endpoints an SRE relies on. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class CatalogViewResourceTest {

    @Test
    void publicListingShowsOnlyPublishedOpenServicesWithoutPersonalData() {
        String open = Fixtures.service("open", false);
        Fixtures.published(open, "v1");
        String personal = Fixtures.service("open", true);
        Fixtures.published(personal, "v1");
        String draftOnly = Fixtures.service("open", false);
        Fixtures.version(draftOnly, "v1");
        String shared = Fixtures.service("shared", false);
        Fixtures.published(shared, "v1");

        given().queryParam("size", 200).get("/api/v1/public/open-services").then().statusCode(200)
                .body("items.code", hasItem(open)).body("items.code", not(hasItem(personal)))
                .body("items.code", not(hasItem(draftOnly))).body("items.code", not(hasItem(shared)))
                .body("items.find { it.code == '" + open + "' }.contact", equalTo(null));

        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).queryParam("size", 200)
                .get("/api/v1/shared-data-catalog").then().statusCode(200)
                .body("items.code", hasItem(shared)).body("items.code", not(hasItem(draftOnly)))
                .body("items.find { it.code == '" + shared + "' }.sharingMethod", equalTo("api"))
                .body("items.find { it.code == '" + shared + "' }.standards[0]", equalTo("QCVN 109:2017/BTTTT"))
                .body("items.find { it.code == '" + shared + "' }.updateFrequency", equalTo("hằng ngày"));
        given().get("/api/v1/shared-data-catalog").then().statusCode(401);
    }

    @Test
    void platformEndpointsAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/feed/snapshot'", notNullValue())
                .body("paths.'/api/v1/services/{code}/versions/{version}/transitions'", notNullValue());
        given().get("/api/v1/nothing-here").then().statusCode(404).contentType(containsString("problem+json"));
    }
}
