package vn.lgsp.routing.snapshot.domain;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Routing's whole view of the world, immutable and swapped atomically: routes and active subscriptions
 * (from catalog), revoked client ids and token ids (from auth), and auth's token verification keys.
 * The request path reads one reference and never calls another service.
 *
 * @param catalogRevision     catalog feed revision, -1 until the first load
 * @param revocationRevision  auth revocation feed revision, -1 until the first load
 * @param catalogCheckedAt    last time catalog confirmed this is current (200 or 304)
 * @param revocationsCheckedAt last time auth confirmed the revocations are current
 * @param hmacKeyRevision     auth hmac-keys feed revision, -1 until the first load (readiness does not wait for
 *                            it: a platform without signing clients is complete without it)
 * @param hmacKeys            access key to signing key, for RFC 9421 signed requests
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
        Map<String, HmacKey> hmacKeys) {

    public static final Snapshot EMPTY = new Snapshot(-1, null, Map.of(), Map.of(), -1, null, Set.of(), Set.of(),
            Map.of(), null, -1, Map.of());

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

    public Snapshot withCatalog(long revision, Instant at, Map<Route.Key, Route> routes,
            Map<Subscription.Key, Subscription> subscriptions) {
        return new Snapshot(revision, at, routes, subscriptions, revocationRevision, revocationsCheckedAt,
                revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys);
    }

    public Snapshot withCatalogChecked(Instant at) {
        return new Snapshot(catalogRevision, at, routes, subscriptions, revocationRevision, revocationsCheckedAt,
                revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys);
    }

    public Snapshot withRevocations(long revision, Instant at, Set<String> clientIds, Set<String> tokenIds) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revision, at, clientIds, tokenIds,
                keys, keysLoadedAt, hmacKeyRevision, hmacKeys);
    }

    public Snapshot withRevocationsChecked(Instant at) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision, at,
                revokedClientIds, revokedTokenIds, keys, keysLoadedAt, hmacKeyRevision, hmacKeys);
    }

    public Snapshot withKeys(Map<String, PublicKey> newKeys, Instant at) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision,
                revocationsCheckedAt, revokedClientIds, revokedTokenIds, newKeys, at, hmacKeyRevision, hmacKeys);
    }

    public Snapshot withHmacKeys(long revision, Map<String, HmacKey> newHmacKeys) {
        return new Snapshot(catalogRevision, catalogCheckedAt, routes, subscriptions, revocationRevision,
                revocationsCheckedAt, revokedClientIds, revokedTokenIds, keys, keysLoadedAt, revision, newHmacKeys);
    }
}
