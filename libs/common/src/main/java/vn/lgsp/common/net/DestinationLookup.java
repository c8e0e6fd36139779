package vn.lgsp.common.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import vn.lgsp.common.net.WebhookDestinations.Refusal;

/**
 * Resolves the host of a URL someone else chose (a subscriber's webhook, an alert rule's) and applies
 * {@link WebhookDestinations} to every address it has. A sender then connects to one of these very addresses
 * ({@link Check#connectTo()}) and never resolves the name again: what was checked is what is reached, whatever the
 * name's DNS says a moment later (rebinding). Blocking (the system resolver): call it off the event loop.
 */
public final class DestinationLookup {

    /** How names are resolved; InetAddress (the system resolver and the JVM's cache) unless a test says otherwise. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
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

        /** Neither refused nor unresolved: a request may go to {@link #connectTo()}. */
        public boolean deliverable() {
            return refusal.isEmpty() && unresolved == null;
        }

        /** For a delivery record the URL's owner reads: the address comes from its own URL or DNS. */
        public String deliveryError() {
            if (unresolved != null) {
                return "destination " + host + " " + unresolved;
            }
            Refusal r = refusal.orElseThrow();
            String why = " is not allowed for webhooks (" + r.reason().label() + " address)";
            return literal ? "destination " + r.address().getHostAddress() + why
                    : "destination " + host + " resolves to " + r.address().getHostAddress() + ", which" + why;
        }

        /**
         * The 400 message for a URL being saved, or null when it may be saved. A name that does not resolve now is
         * accepted: the receiver may not be published yet, and every delivery checks again. For a name the answer
         * says no more than "private/loopback": which address an internal name has is not the caller's business.
         */
        public String refusalMessage() {
            if (refusal.isEmpty()) {
                return null;
            }
            Refusal r = refusal.get();
            String why = literal
                    ? "points to " + r.address().getHostAddress() + " (" + r.reason().label() + " address), not allowed for webhooks"
                    : "resolves to a private/loopback address not allowed for webhooks";
            return why + "; use a receiver at a public address (the platform operator can allow the province's own networks)";
        }
    }

    private final WebhookDestinations rules;
    private volatile Resolver resolver = InetAddress::getAllByName;

    public DestinationLookup(WebhookDestinations rules) {
        this.rules = rules;
    }

    /** Tests: resolve through {@code r} (null: the system resolver again). */
    public void resolveWith(Resolver r) {
        resolver = r == null ? InetAddress::getAllByName : r;
    }

    /** Blocking: resolves the URL's host and checks every address. */
    public Check checkUrl(String url) {
        String host = host(url);
        return host == null ? unresolved(String.valueOf(url), "has no host") : lookup(host);
    }

    /** Blocking: resolves {@code host} (a name or a literal) and checks every address. */
    public Check lookup(String host) {
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

    public static Check unresolved(String host, String how) {
        return new Check(host, isLiteral(host), Optional.empty(), how, List.of());
    }

    /** The host as InetAddress wants it (an IPv6 literal without brackets), or null. */
    public static String host(String url) {
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
    public static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
