package vn.lgsp.routing.snapshot.domain;

import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routing's whole view of the world, immutable and swapped atomically: routes, active subscriptions and announced
 * maintenance windows (from catalog), revoked client ids and token ids (from auth), and auth's token verification keys.
 * The request path reads one reference and never calls another service.
 *
 * @param catalogRevision     catalog feed revision, -1 until the first load
 * @param revocationRevision  auth revocation feed revision, -1 until the first load
 * @param catalogCheckedAt    last time catalog confirmed this is current (200 or 304)
 * @param revocationsCheckedAt last time auth confirmed the revocations are current
 * @param hmacKeyRevision     auth hmac-keys feed revision, -1 until the first load (readiness does not wait for
 *                            it: a platform without signing clients is complete without it)
 * @param hmacKeys            access key to signing key, for RFC 9421 signed requests
 * @param maintenance         catalog's maintenance windows not cancelled and not over when last looked at (sorted by
 *                            start); usually empty, which the request path checks first
 */
public record Snapshot(
        long catalogRevision,
        Instant catalogCheckedAt,
        Map<Route.Key, Route> routes,
        Map<Subscription.Key, Subscription> subscriptions,
        long revocationRevision,
        Instant revocationsCheckedAt,
        Set<String> revokedClientIds,
        Set<String> revokedTokenIds,
        Map<String, PublicKey> keys,
        Instant keysLoadedAt,
        long hmacKeyRevision,
        Map<String, HmacKey> hmacKeys,
        List<MaintenanceWindow> maintenance) {

    public static final Snapshot EMPTY = new Snapshot(-1, null, Map.of(), Map.of(), -1, null, Set.of(), Set.of(),
            Map.of(), null, -1, Map.of(), List.of());

    /** Everything needed to serve safely has arrived at least once. */
    public boolean complete() {
        return catalogRevision >= 0 && revocationRevision >= 0 && !keys.isEmpty();
    }

    /** The older of the two feeds' confirmations: how out of date the gateway may be. */
    public Instant confirmedAt() {
        if (catalogCheckedAt == null || revocationsCheckedAt == null) {
            return null;
        }
        return catalogCheckedAt.isBefore(revocationsCheckedAt) ? catalogCheckedAt : revocationsCheckedAt;
    }

    public boolean revoked(String clientId, String tokenId) {
        return (clientId != null && revokedClientIds.contains(clientId))
                || (tokenId != null && revokedTokenIds.contains(tokenId));
    }

    /**
     * The {@code unavailable} window in effect at {@code epochMillis} that covers calls to {@code serviceCode} in
     * {@code environment} — of several, the one ending last, so Retry-After does not invite a retry into another
     * refusal — or null. On the request path: no allocation, and a single check when no window is announced.
     */
    public MaintenanceWindow unavailable(String serviceCode, String environment, long epochMillis) {
        List<MaintenanceWindow> windows = maintenance;
        if (windows.isEmpty()) {
            return null;
        }
        MaintenanceWindow found = null;
        for (int i = 0, n = windows.size(); i < n; i++) {
            MaintenanceWindow w = windows.get(i);
            if (w.refuses(serviceCode, environment, epochMillis)
                    && (found == null || w.endsAt().isAfter(found.endsAt()))) {
                found = w;
            }
        }
        return found;
    }

    /**
     * When calls refused for {@code current} are next served: its end, carried on through every window refusing the
     * same calls that has begun by then (back to back or overlapping), so Retry-After never sends a caller into the
     * next window. Each pass moves the end strictly later, so it stops.
     */
    public Instant availableAgain(MaintenanceWindow current, String serviceCode, String environment) {
        long end = current.endsAt().toEpochMilli();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (MaintenanceWindow w : maintenance) {
                if (w.unavailable() && w.covers(serviceCode, environment) && w.startsAt().toEpochMilli() <= end
                        && w.endsAt().toEpochMilli() > end) {
                    end = w.endsAt().toEpochMilli();
                    moved = true;
                }
            }
        }
        return Instant.ofEpochMilli(end);
    }

    /** catalog's whole part of the world at {@code revision}: a full snapshot replaces the windows too. */
    public Snapshot withCatalog(long revision, Instant at, Map<Route.Key, Route> routes,
            Map<Subscription.Key, Subscription> subscriptions, List<MaintenanceWindow> windows) {
        return new Snapshot(revision, at, routes, subscriptions, revocationRevision, revocationsCheckedAt,
                revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys, windows);
    }

    /** The same catalog revision with other windows (ended ones dropped). */
    public Snapshot withMaintenance(List<MaintenanceWindow> windows) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision,
                revocationsCheckedAt, revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys,
                windows);
    }

    public Snapshot withCatalogChecked(Instant at) {
        return new Snapshot(catalogRevision, at, routes, subscriptions, revocationRevision, revocationsCheckedAt,
                revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys, maintenance);
    }

    public Snapshot withRevocations(long revision, Instant at, Set<String> clientIds, Set<String> tokenIds) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revision, at, clientIds, tokenIds,
                keys, keysLoadedAt, hmacKeyRevision, hmacKeys, maintenance);
    }

    public Snapshot withRevocationsChecked(Instant at) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision, at,
                revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys, maintenance);
    }

    public Snapshot withKeys(Map<String, PublicKey> newKeys, Instant at) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision,
                revocationsCheckedAt, revokedClientIds, revokedTokenIds, newKeys, at, hmacKeyRevision, hmacKeys,
                maintenance);
    }

    public Snapshot withHmacKeys(long revision, Map<String, HmacKey> newHmacKeys) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision,
                revocationsCheckedAt, revokedClientIds, revokedTokenIds, keys, keysLoadedAt, revision, newHmacKeys,
                maintenance);
    }
}
