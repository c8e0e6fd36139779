package vn.lgsp.routing.support;

import vn.lgsp.testing.TestJwt;

/** System tokens of the fixture's consumers. */
public final class Tokens {

    private Tokens() {
    }

    public static String consumer() {
        return TestJwt.system(RoutingTestResource.CONSUMER, RoutingTestResource.CONSUMER_AGENCY, "production");
    }

    public static String consumerInTest() {
        return TestJwt.system(RoutingTestResource.CONSUMER, RoutingTestResource.CONSUMER_AGENCY, "test");
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
