package vn.lgsp.routing.gateway.step;

import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.snapshot.domain.Subscription;

/**
 * 3. Entitle: the calling system holds an active subscription to this version in its environment, and today (the
 * province's calendar) is within its period of use; else 403.
 */
@Singleton
public class EntitleStep implements Step {

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
        exchange.subscription(subscription);
        return Step.proceed();
    }
}
