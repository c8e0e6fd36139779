package vn.lgsp.routing.config;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Meters the gateway does without. */
@Singleton
public class GatewayMeters {

    /**
     * Quarkus' Vert.x binder records {@code http.server.bytes.read} and {@code http.server.bytes.written} on every
     * socket read and write, each with an exemplar lookup: ≈ 1 % of the gateway's CPU per call, for distributions
     * nobody reads (audit records every call's request and response sizes; dashboards and alerts use
     * http_server_requests). Denied meters are no-ops.
     */
    @Produces
    @Singleton
    MeterFilter noPerSocketWriteByteSummaries() {
        return MeterFilter.deny(id -> id.getName().equals("http.server.bytes.read")
                || id.getName().equals("http.server.bytes.written"));
    }
}
