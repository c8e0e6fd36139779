package vn.lgsp.catalog.webhook.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.common.net.DestinationLookup;
import vn.lgsp.common.net.DestinationLookup.Check;
import vn.lgsp.common.net.WebhookDestinations;

/**
 * libs' {@link DestinationLookup} off the event loop: resolves a webhook URL's host and applies {@link
 * WebhookDestinations} to every address. Used when a subscriber gives a URL (to answer 400 at once) and before each
 * delivery attempt (the real guard: DNS answers change).
 */
@ApplicationScoped
public class WebhookDestinationGuard {

    @Inject
    Vertx vertx;

    @Inject
    CatalogConfig config;

    private DestinationLookup lookup;

    @PostConstruct
    void init() {
        lookup = new DestinationLookup(new WebhookDestinations(config.webhookAllowedNetworks().orElse(List.of())));
    }

    /**
     * Checks the host of an http(s) URL. InetAddress look-ups block, so this one runs on a worker thread and answers
     * on the caller's Vert.x context; a look-up slower than {@code lgsp.catalog.webhook-timeout} counts as not
     * resolving (the thread stays with the system resolver until it gives up; that is bounded by its own timeouts).
     */
    public Uni<Check> check(String url) {
        String host = DestinationLookup.host(url);
        if (host == null) {
            return Uni.createFrom().item(DestinationLookup.unresolved(String.valueOf(url), "has no host"));
        }
        Context context = Vertx.currentContext();
        Uni<Check> checked = Uni.createFrom()
                .completionStage(() -> vertx.executeBlocking(() -> lookup.lookup(host), false).toCompletionStage())
                .ifNoItem().after(config.webhookTimeout())
                .recoverWithItem(() -> DestinationLookup.unresolved(host,
                        "did not resolve within " + config.webhookTimeout().toMillis() + " ms"));
        return context == null ? checked : checked.emitOn(r -> context.runOnContext(v -> r.run()));
    }

    /** Tests: resolve through {@code r} (null: the system resolver again). */
    public void resolveWith(DestinationLookup.Resolver r) {
        lookup.resolveWith(r);
    }

    /**
     * Refuses a webhook URL whose host is, or resolves only or partly to, an address webhooks may not go to (the same
     * rule each delivery applies, so what is accepted here is deliverable as long as DNS says the same); see
     * {@link Check#refusalMessage()}.
     */
    public static void refuseInternal(FieldErrors errors, Check c) {
        String message = c.refusalMessage();
        if (message != null) {
            errors.add("webhookUrl", "publicAddress", message);
        }
    }
}
