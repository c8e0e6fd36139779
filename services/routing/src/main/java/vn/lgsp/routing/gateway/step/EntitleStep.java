package vn.lgsp.routing.gateway.step;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.util.Locale;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.access.AccessRules;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.snapshot.domain.Subscription;

/**
 * 3. Entitle: the calling system holds an active subscription to this version in its environment, today (the
 * province's calendar) is within its period of use, and its access level (REQUIREMENTS A3) covers what the operation
 * requires; else 403.
 */
@Singleton
public class EntitleStep implements Step {

    /** Interned header names: their hash is computed once, not on every lookup of every call. */
    private static final CharSequence[] METHOD_OVERRIDES = AccessRules.METHOD_OVERRIDE_HEADERS.stream()
            .map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);
    /** What a refusal's detail quotes of the caller's own path and override header, at most. */
    private static final int MAX_DETAIL_PATH = 200;
    private static final int MAX_DETAIL_METHOD = 32;

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        SystemIdentity caller = exchange.caller();
        Subscription subscription = exchange.snapshot().subscriptions().get(new Subscription.Key(caller.system(),
                exchange.serviceCode(), exchange.version(), caller.environment()));
        if (subscription == null) {
            return Future.failedFuture(new ProblemException(ProblemType.NOT_SUBSCRIBED, "System " + caller.system()
                    + " has no active subscription to " + exchange.serviceCode() + " " + exchange.version()
                    + " in the " + caller.environment() + " environment"));
        }
        long today = ProvinceCalendar.epochDay(System.currentTimeMillis());
        if (!subscription.inPeriod(today)) {
            boolean before = today < subscription.firstDay();
            return Future.failedFuture(new ProblemException(ProblemType.NOT_SUBSCRIBED, "The subscription of system "
                    + caller.system() + " to " + exchange.serviceCode() + " " + exchange.version() + " may be used "
                    + (before ? "from " + LocalDate.ofEpochDay(subscription.firstDay())
                            : "until " + LocalDate.ofEpochDay(subscription.lastDay()))
                    + " (Asia/Ho_Chi_Minh); its period of use " + (before ? "has not started" : "is over")));
        }
        AccessLevel granted = subscription.accessLevel();
        if (granted != null) {
            ProblemException refused = checkLevel(exchange, granted);
            if (refused != null) {
                return Future.failedFuture(refused);
            }
        }
        exchange.subscription(subscription);
        return Step.proceed();
    }

    /** Null when the granted level covers the operation; else the refusal. */
    private static ProblemException checkLevel(GatewayExchange exchange, AccessLevel granted) {
        HttpServerRequest request = exchange.request();
        String method = request.method().name();
        AccessRules rules = exchange.route().accessRules();
        AccessLevel required = rules.required(method, exchange.restPath());
        String override = null;
        MultiMap headers = request.headers();
        for (int i = 0; i < METHOD_OVERRIDES.length && required != AccessLevel.SHARE; i++) {
            if (headers.contains(METHOD_OVERRIDES[i])) {
                // Rare: only now are the values read. Every value and every comma-separated item counts, since a
                // provider's server may take the first or the last.
                for (String value : headers.getAll(METHOD_OVERRIDES[i])) {
                    for (String item : value.split(",")) {
                        String named = item.trim().toUpperCase(Locale.ROOT);
                        if (named.isEmpty()) {
                            continue;
                        }
                        AccessLevel raised = AccessLevel.higher(required, rules.required(named, exchange.restPath()));
                        if (raised != required) {
                            required = raised;
                            override = METHOD_OVERRIDES[i] + ": "
                                    + (named.length() > MAX_DETAIL_METHOD ? named.substring(0, MAX_DETAIL_METHOD) + "…" : named);
                        }
                    }
                }
            }
        }
        if (granted.covers(required)) {
            return null;
        }
        String path = exchange.restPath().isEmpty() ? "/" : exchange.restPath();
        if (path.length() > MAX_DETAIL_PATH) {
            path = path.substring(0, MAX_DETAIL_PATH) + "…";
        }
        return new ProblemException(ProblemType.ACCESS_LEVEL, "The subscription of system "
                + exchange.caller().system() + " to " + exchange.serviceCode() + " " + exchange.version() + " grants "
                + granted.wire() + "; " + method + " " + path + (override == null ? "" : " (" + override + ")")
                + " requires " + required.wire() + " (ask the provider for a higher level)");
    }
}
