package vn.lgsp.catalog.version;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** OpenAPI documents are checked on upload; each problem is named by its JSON pointer in the request body. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class OpenApiValidationTest {

    private static final String VALID_30 = """
            {"openapi":"3.0.3","info":{"title":"Dân cư","version":"1.0.0"},
             "paths":{"/citizens/{id}":{"parameters":[{"$ref":"#/components/parameters/id"}],
               "get":{"operationId":"getCitizen","responses":{"200":{"description":"OK",
                 "content":{"application/json":{"schema":{"$ref":"#/components/schemas/Citizen"}}}}}}}},
             "components":{"parameters":{"id":{"name":"id","in":"path","required":true,"schema":{"type":"string"}}},
               "schemas":{"Citizen":{"type":"object","properties":{"name":{"type":"string"}}}}}}""";

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ValidatableResponse create(String code, String document) {
        return given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\",\"openapi\":" + document + "}")
                .post("/api/v1/services/" + code + "/versions").then();
    }

    @Test
    void aCompleteDocumentWithInternalReferencesIsAccepted() {
        String code = Fixtures.service("master", true);
        create(code, VALID_30).statusCode(201);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + code + "/versions/v1/openapi").then()
                .statusCode(200).body("components.schemas.Citizen.type", equalTo("object"));
    }

    @Test
    void danglingAndExternalReferencesAreNamedByPointer() {
        String code = Fixtures.service("master", true);
        String dangling = VALID_30.replace("#/components/schemas/Citizen", "#/components/schemas/Person")
                .replace("#/components/parameters/id", "common.yaml#/id");
        create(code, dangling).statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:validation-failed"))
                .body("errors.field", hasItem("/openapi/paths/~1citizens~1{id}/get/responses/200/content/application~1json/schema/$ref"))
                .body("errors.rule", hasItem("danglingRef"))
                .body("errors.field", hasItem("/openapi/paths/~1citizens~1{id}/parameters/0/$ref"))
                .body("errors.rule", hasItem("externalRef"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + code + "/versions").then().body("", hasSize(0));
    }

    @Test
    void requiredMembersVersionsAndOperationsAreChecked() {
        String code = Fixtures.service("master", true);
        create(code, "{\"openapi\":\"3.2.0\",\"info\":{\"title\":\"\"},\"paths\":{}}").statusCode(400)
                .body("errors.field", hasItem("/openapi/openapi")).body("errors.rule", hasItem("openapiVersion"))
                .body("errors.field", hasItem("/openapi/info/title")).body("errors.field", hasItem("/openapi/info/version"));
        create(code, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"a\",\"version\":\"1\"}}").statusCode(400)
                .body("errors[0].field", equalTo("/openapi/paths")).body("errors[0].rule", equalTo("required"));
        create(code, "[1,2]").statusCode(400).body("errors[0].field", equalTo("/openapi"))
                .body("errors[0].rule", equalTo("openapiDocument"));
        // 3.0 operations must have responses; operationIds are unique; path keys are templates starting with '/'.
        create(code, """
                {"openapi":"3.0.3","info":{"title":"a","version":"1"},"paths":{
                  "/a":{"get":{"operationId":"x"},"post":{"operationId":"x","responses":{"201":{"description":"ok"}}},"fetch":{}},
                  "b":{},"/c/{id":{}}}""").statusCode(400)
                .body("errors.field", hasItem("/openapi/paths/~1a/get/responses"))
                .body("errors.field", hasItem("/openapi/paths/~1a/post/operationId"))
                .body("errors.rule", hasItem("uniqueOperationId"))
                .body("errors.field", hasItem("/openapi/paths/~1a/fetch"))
                .body("errors.field", hasItem("/openapi/paths/b"))
                .body("errors.field", hasItem("/openapi/paths/~1c~1{id"));
        // 3.1 allows operations without responses.
        create(code, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"a\",\"version\":\"1\"},\"paths\":{\"/a\":{\"get\":{}}}}")
                .statusCode(201);
    }

    @Test
    void documentsCanBeUploadedAsYamlOrJsonWhileEditable() {
        String code = Fixtures.service("master", true);
        Fixtures.version(code, "v1");
        String path = "/api/v1/services/" + code + "/versions/v1/openapi";
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).header("If-Match", "\"1\"")
                .contentType("application/yaml; charset=UTF-8").body(utf8("""
                        openapi: 3.0.3
                        info: {title: Dân cư, version: 2.0.0}
                        paths:
                          /citizens/{id}:
                            get:
                              responses:
                                '200': {$ref: '#/components/responses/Missing'}
                        """)).put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("/paths/~1citizens~1{id}/get/responses/200/$ref"))
                .body("errors[0].rule", equalTo("danglingRef"));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).header("If-Match", "\"1\"")
                .contentType("application/yaml; charset=UTF-8").body(utf8("openapi: [unclosed")).put(path).then().statusCode(400)
                .body("type", equalTo("urn:lgsp:problem:malformed-body"));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).header("If-Match", "\"1\"")
                .contentType("application/yaml").body(utf8("openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n"))
                .put(path).then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).header("If-Match", "\"1\"")
                .contentType("application/yaml; charset=UTF-8").body(utf8("""
                        openapi: 3.0.3
                        info: {title: Dân cư, version: 2.0.0}
                        paths:
                          /citizens/{id}:
                            get:
                              responses: {'200': {description: OK}}
                        """)).put(path).then().statusCode(200).header("ETag", equalTo("\"2\""));
        given().auth().oauth2(TestJwt.auditor()).get(path).then().statusCode(200).body("info.title", equalTo("Dân cư"))
                .body("info.version", equalTo("2.0.0"));

        // Once published the document is part of the contract: a new one needs a new major version.
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"testing\"}").statusCode(200);
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"published\"}").statusCode(200);
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"4\"").contentType(ContentType.JSON)
                .body("{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"b\",\"version\":\"3\"},\"paths\":{}}").put(path).then()
                .statusCode(409).body("errors[0].field", equalTo("openapi"))
                .body("errors[0].rule", equalTo("notEditableWhenPublished"));
    }
}
