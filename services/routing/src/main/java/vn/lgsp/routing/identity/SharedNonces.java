package vn.lgsp.routing.identity;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * The nonces of RFC 9421 signed requests, shared by all replicas through PostgreSQL: one non-blocking insert per
 * signed request, after the signature has been verified (so nobody can burn another client's nonces). Each replica
 * also keeps its own in-memory store, which answers first; when PostgreSQL is unreachable only that one is left
 * and a replay sent to another replica within the skew window would pass — logged once, the gateway keeps serving.
 */
@ApplicationScoped
public class SharedNonces {

    private static final Logger LOG = Logger.getLogger(SharedNonces.class);

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    private volatile boolean warned;
    private long sweeper = -1;

    void start(@Observes StartupEvent ev) {
        sweeper = vertx.setPeriodic(60_000, 60_000, id -> pool.query("DELETE FROM used_nonce WHERE forget_after < now()")
                .execute().onFailure(e -> LOG.debugf("Nonce sweep failed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent ev) {
        vertx.cancelTimer(sweeper);
    }

    /** True the first time the cluster sees this (key, nonce); true as well when PostgreSQL cannot be asked. */
    public Future<Boolean> firstUse(String keyId, String nonce, Instant forgetAfter) {
        return pool.preparedQuery("INSERT INTO used_nonce (key_id, nonce, forget_after) VALUES ($1, $2, $3) "
                        + "ON CONFLICT (key_id, nonce) DO NOTHING")
                .execute(Tuple.of(keyId, nonce, OffsetDateTime.ofInstant(forgetAfter, ZoneOffset.UTC)))
                .map(rows -> {
                    warned = false;
                    return rows.rowCount() == 1;
                })
                .recover(e -> {
                    if (!warned) {
                        warned = true;
                        LOG.warnf("Shared nonce store unreachable (%s): replays are caught per replica only", e.getMessage());
                    }
                    return Future.succeededFuture(true);
                });
    }
}
