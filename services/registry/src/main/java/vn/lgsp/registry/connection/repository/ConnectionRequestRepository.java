package vn.lgsp.registry.connection.repository;

import static vn.lgsp.common.db.Timestamps.instant;
import static vn.lgsp.common.db.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.registry.connection.domain.ConnectionRequest;
import vn.lgsp.registry.connection.domain.ConnectionRequest.Confirmation;
import vn.lgsp.registry.connection.domain.ConnectionRequest.Confirmations;
import vn.lgsp.registry.connection.domain.ConnectionRequest.Transition;
import vn.lgsp.registry.support.Sorting;

/** Connection requests and their transition history. */
@ApplicationScoped
public class ConnectionRequestRepository {

    private static final String SELECT = """
            SELECT r.id, r.system_id, s.code AS system_code, s.agency_code, r.purpose, r.data_scope, r.requested_services,
              r.expected_frequency, r.technical_contact_id, r.status, r.suspended_from, r.shortened,
              r.operator_confirmed_by, r.operator_confirmed_at, r.agency_confirmed_by, r.agency_confirmed_at,
              r.requested_by, r.version, r.created_at, r.updated_at
            FROM connection_request r JOIN information_system s ON s.id = r.system_id""";

    static final Map<String, String> SORTS = Map.of("createdAt", "r.created_at", "updatedAt", "r.updated_at", "status", "r.status");

    @Inject
    Pool pool;

    public Pool pool() {
        return pool;
    }

    public Uni<Void> insert(SqlClient conn, UUID id, long systemId, String purpose, String dataScope, List<String> services,
            String frequency, UUID contactId, String status, boolean shortened, String requestedBy) {
        return conn.preparedQuery("""
                INSERT INTO connection_request (id, system_id, purpose, data_scope, requested_services, expected_frequency,
                  technical_contact_id, status, shortened, requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
                .execute(Tuple.from(Arrays.asList(id, systemId, purpose, dataScope, services.toArray(String[]::new), frequency,
                        contactId, status, shortened, requestedBy)))
                .replaceWithVoid();
    }

    public Uni<ConnectionRequest> find(SqlClient client, UUID id) {
        return client.preparedQuery(SELECT + " WHERE r.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** Locks the request until the transaction ends: two operators cannot both move it. */
    public Uni<ConnectionRequest> lock(SqlClient conn, UUID id) {
        return conn.preparedQuery(SELECT + " WHERE r.id = $1 FOR UPDATE OF r").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    public Uni<UUID> openRequestOf(SqlClient client, long systemId) {
        return client.preparedQuery("SELECT id FROM connection_request WHERE system_id = $1 AND status NOT IN ('withdrawn', 'revoked')")
                .execute(Tuple.of(systemId)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
    }

    public Uni<Void> update(SqlClient conn, UUID id, String status, String suspendedFrom, Confirmations confirmations) {
        Confirmation op = confirmations == null ? null : confirmations.operator();
        Confirmation ag = confirmations == null ? null : confirmations.agency();
        return conn.preparedQuery("""
                UPDATE connection_request SET status = $2, suspended_from = $3, operator_confirmed_by = $4,
                  operator_confirmed_at = $5, agency_confirmed_by = $6, agency_confirmed_at = $7,
                  version = version + 1, updated_at = now() WHERE id = $1""")
                .execute(Tuple.from(Arrays.asList(id, status, suspendedFrom, op == null ? null : op.by(), op == null ? null : utc(op.at()),
                        ag == null ? null : ag.by(), ag == null ? null : utc(ag.at()))))
                .replaceWithVoid();
    }

    public Uni<Void> changeTechnicalContact(SqlClient conn, UUID id, UUID contactId) {
        return conn.preparedQuery("UPDATE connection_request SET technical_contact_id = $2, version = version + 1, updated_at = now() "
                + "WHERE id = $1").execute(Tuple.of(id, contactId)).replaceWithVoid();
    }

    /** A history entry for a new technical contact: the state does not move, the contacts do. */
    public Uni<Void> insertContactChange(SqlClient conn, UUID requestId, String actor, String role, String state, String comment,
            UUID fromContact, UUID toContact) {
        return conn.preparedQuery("INSERT INTO connection_request_transition (request_id, actor, role, action, from_state, to_state, "
                + "comment, from_contact_id, to_contact_id) VALUES ($1, $2, $3, 'change_technical_contact', $4, $4, $5, $6, $7)")
                .execute(Tuple.from(Arrays.asList(requestId, actor, role, state, comment, fromContact, toContact))).replaceWithVoid();
    }

    public Uni<Void> insertTransition(SqlClient conn, UUID requestId, String actor, String role, String action, String from,
            String to, String comment) {
        return conn.preparedQuery("""
                INSERT INTO connection_request_transition (request_id, actor, role, action, from_state, to_state, comment)
                VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                .execute(Tuple.from(Arrays.asList(requestId, actor, role, action, from, to, comment))).replaceWithVoid();
    }

    public Uni<List<Transition>> history(SqlClient client, UUID requestId) {
        return client.preparedQuery("""
                SELECT at, actor, role, action, from_state, to_state, comment, from_contact_id, to_contact_id
                FROM connection_request_transition
                WHERE request_id = $1 ORDER BY id""")
                .execute(Tuple.of(requestId)).map(rows -> {
                    List<Transition> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Transition(instant(r, "at"), r.getString("actor"), r.getString("role"), r.getString("action"),
                                r.getString("from_state"), r.getString("to_state"), r.getString("comment"),
                                r.getUUID("from_contact_id"), r.getUUID("to_contact_id")));
                    }
                    return out;
                });
    }

    public Uni<Page<ConnectionRequest>> list(String status, String systemCode, String agencyCode, Set<String> visible,
            String sort, String direction, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            args.add(status);
            where.append(" AND r.status = $").append(args.size());
        }
        if (systemCode != null) {
            args.add(systemCode);
            where.append(" AND s.code = $").append(args.size());
        }
        if (agencyCode != null) {
            args.add(agencyCode);
            where.append(" AND s.agency_code = $").append(args.size());
        }
        if (visible != null) {
            args.add(visible.toArray(String[]::new));
            where.append(" AND s.agency_code = ANY($").append(args.size()).append(')');
        }
        String order = Sorting.orderBy(sort, direction == null ? "desc" : direction, SORTS, "createdAt", "r.id");
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size);
        pageArgs.add(page.offset());
        String sql = SELECT + where + order + " LIMIT $" + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
        Uni<List<ConnectionRequest>> items = pool.preparedQuery(sql).execute(Tuple.from(pageArgs)).map(rows -> {
            List<ConnectionRequest> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(map(r));
            }
            return out;
        });
        Uni<Long> total = pool.preparedQuery("SELECT count(*) FROM connection_request r JOIN information_system s ON s.id = r.system_id"
                + where).execute(Tuple.from(args)).map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple()
                .map(t -> new Page<>(t.getItem1(), page.page, page.size, t.getItem2()));
    }

    private static ConnectionRequest map(Row r) {
        String opBy = r.getString("operator_confirmed_by");
        String agBy = r.getString("agency_confirmed_by");
        Confirmations confirmations = opBy == null && agBy == null ? null
                : new Confirmations(opBy == null ? null : new Confirmation(opBy, instant(r, "operator_confirmed_at")),
                        agBy == null ? null : new Confirmation(agBy, instant(r, "agency_confirmed_at")));
        return new ConnectionRequest(r.getUUID("id"), r.getLong("system_id"), r.getString("system_code"), r.getString("agency_code"),
                r.getString("purpose"), r.getString("data_scope"), List.of(r.getArrayOfStrings("requested_services")),
                r.getString("expected_frequency"), r.getUUID("technical_contact_id"), r.getString("status"),
                r.getString("suspended_from"), r.getBoolean("shortened"), confirmations, r.getString("requested_by"),
                instant(r, "created_at"), instant(r, "updated_at"), r.getInteger("version"), null);
    }
}
