package vn.lgsp.catalog.subscription;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class SubscriptionFlowTest {

    private static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);
    private static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    private static final String THIRD = TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY);

    @Test
    void consumerAppliesProviderApprovesSuspendsResumesConsumerEnds() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("status", equalTo("pending")).body("consumerAgency", equalTo(RegistryStub.CONSUMER_AGENCY));

        // Only the provider side decides; a third agency or an auditor changes nothing.
        Fixtures.act(CONSUMER, id, "approve", "{}").statusCode(403);
        Fixtures.act(THIRD, id, "approve", "{}").statusCode(403);
        Fixtures.act(TestJwt.auditor(), id, "approve", "{}").statusCode(403);
        Fixtures.act(PROVIDER, id, "approve", "{\"requestsPerSecond\":0}").statusCode(400)
                .body("errors[0].field", equalTo("requestsPerSecond"));
        Fixtures.act(PROVIDER, id, "approve", "{\"burst\":15,\"reason\":\"ok\"}").statusCode(200)
                .body("status", equalTo("active")).body("requestsPerSecond", equalTo(5)).body("burst", equalTo(15))
                .body("dailyQuota", equalTo(10000));
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(409).body("type", equalTo("urn:lgsp:problem:illegal-transition"));
        Fixtures.act(CONSUMER, id, "suspend", "{}").statusCode(403);
        Fixtures.act(PROVIDER, id, "resume", "{}").statusCode(409);
        Fixtures.act(PROVIDER, id, "suspend", "{\"reason\":\"vượt hạn mức\"}").statusCode(200).body("status", equalTo("suspended"));
        Fixtures.act(TestJwt.operator(), id, "resume", "{}").statusCode(200).body("status", equalTo("active"));
        Fixtures.act(THIRD, id, "end", "{}").statusCode(403);
        Fixtures.act(CONSUMER, id, "end", "{\"reason\":\"hết nhu cầu\"}").statusCode(200).body("status", equalTo("ended"));
        Fixtures.act(PROVIDER, id, "end", "{}").statusCode(409);
    }

    @Test
    void rejectionNeedsAReason() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        Fixtures.act(PROVIDER, id, "reject", "{}").statusCode(400).body("errors[0].field", equalTo("reason"));
        Fixtures.act(TestJwt.operator(), id, "reject", "{\"reason\":\"Không đúng phạm vi\"}").statusCode(200)
                .body("status", equalTo("rejected")).body("reason", equalTo("Không đúng phạm vi"));
        // A rejected application no longer blocks a new one.
        Fixtures.subscribe(code, "v1", "production", null);
    }

    @Test
    void whoMayApplyAndToWhat() {
        String code = Fixtures.service("shared", false);
        Fixtures.version(code, "v1");
        String body = Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "test", null);
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(409).body("errors[0].field", equalTo("version")).body("errors[0].rule", equalTo("notDraft"));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"testing\"}").statusCode(200);
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", null))
                .post("/api/v1/subscriptions").then().statusCode(409).body("errors[0].rule", equalTo("testingOnlyInTest"));
        given().auth().oauth2(PROVIDER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(403);
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(403);
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(201).body("environment", equalTo("test"));
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(409).body("type", equalTo("urn:lgsp:problem:duplicate"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", "HTTT-KHONG-CO", "test", null)).post("/api/v1/subscriptions")
                .then().statusCode(422).body("errors[0].field", equalTo("consumerSystemCode"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM_2, "staging", "ftp://x"))
                .post("/api/v1/subscriptions").then().statusCode(400).body("errors[0].field", equalTo("environment"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM_2, "test", "ftp://x"))
                .post("/api/v1/subscriptions").then().statusCode(400).body("errors[0].field", equalTo("webhookUrl"));
    }

    @Test
    void listingIsScopedToTheAgencysSide() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        given().auth().oauth2(CONSUMER).queryParam("serviceCode", code).get("/api/v1/subscriptions").then().statusCode(200)
                .body("items.id", hasItem(id));
        given().auth().oauth2(PROVIDER).queryParam("serviceCode", code).get("/api/v1/subscriptions").then().statusCode(200)
                .body("items.id", hasItem(id));
        given().auth().oauth2(THIRD).queryParam("size", 200).get("/api/v1/subscriptions").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        given().auth().oauth2(THIRD).get("/api/v1/subscriptions/" + id).then().statusCode(404);
        given().auth().oauth2(TestJwt.service("auth")).queryParam("consumerSystem", RegistryStub.CONSUMER_SYSTEM)
                .queryParam("environment", "production").queryParam("status", "pending").queryParam("size", 200)
                .get("/api/v1/subscriptions").then().statusCode(200).body("items.id", hasItem(id))
                .body("items.status", everyItem(equalTo("pending")));
        given().auth().oauth2(TestJwt.auditor()).queryParam("status", "sleeping").get("/api/v1/subscriptions").then()
                .statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    void carryOverAppliesForTheNewMajorVersion() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200);
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body("{\"toVersion\":\"v2\"}")
                .post("/api/v1/subscriptions/" + id + "/carry-over").then().statusCode(422)
                .body("errors[0].field", equalTo("toVersion"));
        Fixtures.version(code, "v2");
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body("{\"toVersion\":\"v2\"}")
                .post("/api/v1/subscriptions/" + id + "/carry-over").then().statusCode(409)
                .body("errors[0].rule", equalTo("notDraft"));
        Fixtures.transition(TestJwt.operator(), code, "v2", "{\"to\":\"testing\"}").statusCode(200);
        Fixtures.transition(TestJwt.operator(), code, "v2", "{\"to\":\"published\"}").statusCode(200);
        given().auth().oauth2(THIRD).contentType(ContentType.JSON).body("{\"toVersion\":\"v2\"}")
                .post("/api/v1/subscriptions/" + id + "/carry-over").then().statusCode(403);
        String next = given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body("{\"toVersion\":\"v2\"}")
                .post("/api/v1/subscriptions/" + id + "/carry-over").then().statusCode(201)
                .body("version", equalTo("v2")).body("status", equalTo("pending")).body("carriedOverFrom", equalTo(id))
                .extract().path("id");
        Fixtures.act(PROVIDER, next, "approve", "{}").statusCode(200).body("status", equalTo("active"));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", equalTo("active"));
    }
}
