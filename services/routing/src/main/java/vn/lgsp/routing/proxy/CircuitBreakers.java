package vn.lgsp.routing.proxy;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import vn.lgsp.common.net.CircuitBreaker;
import vn.lgsp.routing.config.RoutingConfig;

/** One {@link CircuitBreaker} per upstream (scheme, host, port), shared by every service version it serves. */
@Singleton
public class CircuitBreakers {

    @Inject
    RoutingConfig config;

    private final ConcurrentHashMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public CircuitBreaker forUpstream(String key) {
        return breakers.computeIfAbsent(key, k -> new CircuitBreaker(config.circuit().failureThreshold(),
                config.circuit().openDuration().toMillis(), System::currentTimeMillis));
    }

    /** upstream key → state, for the status endpoint. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        breakers.forEach((k, b) -> states.put(k, b.state().name().toLowerCase()));
        return states;
    }
}
