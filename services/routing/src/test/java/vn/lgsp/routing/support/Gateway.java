package vn.lgsp.routing.support;

import io.quarkus.arc.Arc;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import vn.lgsp.routing.gateway.DataPlaneServer;

/** Calls to the data plane, which listens on a port of its own (a free one in tests), not Quarkus' HTTP port. */
public final class Gateway {

    private Gateway() {
    }

    public static int port() {
        return Arc.container().instance(DataPlaneServer.class).get().port();
    }

    /** RestAssured's given(), aimed at the data plane. */
    public static RequestSpecification gateway() {
        return RestAssured.given().port(port());
    }
}
