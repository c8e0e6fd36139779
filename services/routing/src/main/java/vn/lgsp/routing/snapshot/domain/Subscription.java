package vn.lgsp.routing.snapshot.domain;

/** An active subscription of a consumer system to a service version in one environment, with its limits. */
public record Subscription(
        String id,
        String serviceCode,
        String version,
        String consumerSystem,
        String consumerAgency,
        String environment,
        /** null or ≤ 0: no rate limit */
        Integer requestsPerSecond,
        Integer burst,
        /** null or ≤ 0: no daily quota */
        Long dailyQuota) {

    public record Key(String consumerSystem, String serviceCode, String version, String environment) {
    }

    public Key key() {
        return new Key(consumerSystem, serviceCode, version, environment);
    }
}
