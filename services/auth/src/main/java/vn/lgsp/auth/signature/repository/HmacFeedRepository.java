package vn.lgsp.auth.signature.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository;

/** Active, unexpired hmac credentials: what the gateway needs to verify signatures itself. */
@ApplicationScoped
public class HmacFeedRepository {

    @Inject
    Pool pool;

    /**
     * The feed's revision for this fingerprint: unchanged when the fingerprint is the last one seen, else bumped.
     * The conditional update is atomic, so replicas agreeing on the content bump once.
     */
    public Uni<Long> revisionFor(String fingerprint) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE hmac_feed_state SET revision = revision + 1, fingerprint = $1 WHERE id = 1 AND fingerprint <> $1
                RETURNING revision""").execute(io.vertx.mutiny.sqlclient.Tuple.of(fingerprint))
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(rows.iterator().next().getLong(0))
                        : conn.query("SELECT revision FROM hmac_feed_state WHERE id = 1").execute()
                                .map(r -> r.iterator().next().getLong(0))));
    }

    public Uni<List<Credential>> activeHmac() {
        return pool.query("""
                SELECT * FROM credential WHERE kind = 'hmac' AND status = 'active' AND (expires_at IS NULL OR expires_at > now())
                ORDER BY client_id""").execute().map(rows -> {
            List<Credential> out = new ArrayList<>();
            rows.forEach(r -> out.add(CredentialRepository.map(r)));
            return out;
        });
    }
}
