package vn.lgsp.catalog.webhook.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.webhook.service.WebhookDestinations.Refusal;

/**
 * Resolves a webhook URL's host and applies {@link WebhookDestinations} to every address. Used when a subscriber
 * gives a URL (to answer 400 at once) and before each delivery attempt (the real guard: DNS answers change).
 */
@ApplicationScoped
public class WebhookDestinationGuard {

    @Inject
    Vertx vertx;

    @Inject
    CatalogConfig config;

    private WebhookDestinations rules;

    @PostConstruct
    void init() {
        rules = new WebhookDestinations(config.webhookAllowedNetworks().orElse(List.of()));
    }

    /**
     * What one look-up of a URL's host found: the first refused address if any, or, when it did not resolve,
     * {@code unresolved} saying how.
     */
    public record Check(String host, boolean literal, Optional<Refusal> refusal, String unresolved, List<InetAddress> addresses) {

        /** The address a delivery connects to: the first the look-up gave, all of which were checked. */
        public InetAddress connectTo() {
            return addresses.get(0);
        }

        public boolean refused() {
            return refusal.isPresent();
        }

        /** For the delivery record, which the subscriber's side reads: the address comes from its own URL or DNS. */
        public String deliveryError() {
            if (unresolved != null) {
                return "destination " + host + " " + unresolved;
            }
            Refusal r = refusal.orElseThrow();
            String why = " is not allowed for webhooks (" + r.reason().label() + " address)";
            return literal ? "destination " + r.address().getHostAddress() + why
                    : "destination " + host + " resolves to " + r.address().getHostAddress() + ", which" + why;
        }
    }

    /**
     * Checks the host of an http(s) URL. InetAddress look-ups block, so this one runs on a worker thread and answers
     * on the caller's Vert.x context; a look-up slower than {@code lgsp.catalog.webhook-timeout} counts as not
     * resolving (the thread stays with the system resolver until it gives up; that is bounded by its own timeouts).
     */
    public Uni<Check> check(String url) {
        String host = host(url);
        if (host == null) {
            return Uni.createFrom().item(unresolved(String.valueOf(url), "has no host"));
        }
        Context context = Vertx.currentContext();
        Uni<Check> lookup = Uni.createFrom()
                .completionStage(() -> vertx.executeBlocking(() -> lookup(host), false).toCompletionStage())
                .ifNoItem().after(config.webhookTimeout())
                .recoverWithItem(() -> unresolved(host, "did not resolve within " + config.webhookTimeout().toMillis() + " ms"));
        return context == null ? lookup : lookup.emitOn(r -> context.runOnContext(v -> r.run()));
    }

    /**
     * Blocking. Every address of the name is checked, and a delivery then connects to one of these very addresses
     * ({@link Check#connectTo()}), never resolving the name again: what was checked is what is reached.
     */
    Check lookup(String host) {
        try {
            List<InetAddress> addresses = List.of(resolver.resolve(host));
            if (addresses.isEmpty()) {
                return unresolved(host, "does not resolve");
            }
            return new Check(host, isLiteral(host), rules.firstRefused(addresses), null, addresses);
        } catch (UnknownHostException | IllegalArgumentException | SecurityException e) {
            return unresolved(host, "does not resolve");
        }
    }

    /** How names are resolved; InetAddress (the system resolver and the JVM's cache) unless a test says otherwise. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private volatile Resolver resolver = InetAddress::getAllByName;

    /** Tests: resolve through {@code r} (null: the system resolver again). */
    public void resolveWith(Resolver r) {
        resolver = r == null ? InetAddress::getAllByName : r;
    }

    private static Check unresolved(String host, String how) {
        return new Check(host, isLiteral(host), Optional.empty(), how, List.of());
    }

    /** The host as InetAddress wants it (an IPv6 literal without brackets), or null. */
    static String host(String url) {
        try {
            String host = url == null ? null : URI.create(url).getHost();
            if (host == null || host.isEmpty()) {
                return null;
            }
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An address written in the URL rather than a name (the JDK reads digits-and-dots hosts as IPv4 forms). */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Refuses a webhook URL whose host is, or resolves only or partly to, an address webhooks may not go to (the same
     * rule each delivery applies, so what is accepted here is deliverable as long as DNS says the same). A name that
     * does not resolve now is accepted: the receiver may not be published yet, a resolver hiccup should not fail an
     * application, and every delivery checks again. For a name the answer says no more than "private/loopback": which
     * address an internal name has is not the applicant's business.
     */
    public static void refuseInternal(FieldErrors errors, Check c) {
        if (!c.refused()) {
            return;
        }
        WebhookDestinations.Refusal refusal = c.refusal().get();
        String why = c.literal()
                ? "points to " + refusal.address().getHostAddress() + " (" + refusal.reason().label()
                        + " address), not allowed for webhooks"
                : "resolves to a private/loopback address not allowed for webhooks";
        errors.add("webhookUrl", "publicAddress", why + "; use a receiver at a public address (the platform operator "
                + "can allow the province's own networks)");
    }
}
