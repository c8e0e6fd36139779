package vn.lgsp.registry.system.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.registry.support.Sorting;
import vn.lgsp.registry.support.TextSearch;
import vn.lgsp.registry.system.domain.Contact;
import vn.lgsp.registry.system.domain.InformationSystem;
import vn.lgsp.registry.system.domain.SystemEvent;
import vn.lgsp.registry.system.domain.InformationSystem.BaseUrls;

/** Information systems and their contact persons. */
@ApplicationScoped
public class SystemRepository {

    private static final String SELECT = """
            SELECT s.id, s.code, s.name, s.agency_code, s.description, s.purpose, s.test_url, s.production_url,
              s.allowed_source_ips, s.security_level, s.mandatory_connection, s.status, s.version, s.created_at, s.updated_at
            FROM information_system s""";

    static final Map<String, String> SORTS = Map.of("name", "s.name", "code", "s.code", "createdAt", "s.created_at");

    @Inject
    Pool pool;

    public Pool pool() {
        return pool;
    }

    public Uni<InformationSystem> findByCode(SqlClient client, String code) {
        return client.preparedQuery(SELECT + " WHERE s.code = $1").execute(Tuple.of(code)).map(SystemRepository::first);
    }

    public Uni<InformationSystem> findById(SqlClient client, long id) {
        return client.preparedQuery(SELECT + " WHERE s.id = $1").execute(Tuple.of(id)).map(SystemRepository::first);
    }

    public Uni<InformationSystem> lock(SqlClient conn, String code) {
        return conn.preparedQuery(SELECT + " WHERE s.code = $1 FOR UPDATE").execute(Tuple.of(code)).map(SystemRepository::first);
    }

    public Uni<Void> insert(SqlClient conn, String code, String name, String agencyCode, String description, String purpose,
            BaseUrls urls, List<String> ips, int level, boolean mandatory) {
        return conn.preparedQuery("""
                INSERT INTO information_system (code, name, search_text, agency_code, description, purpose, test_url,
                  production_url, allowed_source_ips, security_level, mandatory_connection)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""")
                .execute(Tuple.from(Arrays.asList(code, name, TextSearch.fold(name, code), agencyCode, description, purpose,
                        urls == null ? null : urls.test(), urls == null ? null : urls.production(),
                        (ips == null ? List.<String>of() : ips).toArray(String[]::new), (short) level, mandatory)))
                .replaceWithVoid();
    }

    public Uni<Void> update(SqlClient conn, long id, String code, String name, String agencyCode, String description,
            String purpose, BaseUrls urls, List<String> ips, int level, boolean mandatory) {
        return conn.preparedQuery("""
                UPDATE information_system SET name = $2, search_text = $3, agency_code = $4, description = $5, purpose = $6,
                  test_url = $7, production_url = $8, allowed_source_ips = $9, security_level = $10,
                  mandatory_connection = $11, version = version + 1, updated_at = now() WHERE id = $1""")
                .execute(Tuple.from(Arrays.asList(id, name, TextSearch.fold(name, code), agencyCode, description, purpose,
                        urls == null ? null : urls.test(), urls == null ? null : urls.production(),
                        (ips == null ? List.<String>of() : ips).toArray(String[]::new), (short) level, mandatory)))
                .replaceWithVoid();
    }

    public Uni<Void> setStatus(SqlClient conn, long id, String status) {
        return conn.preparedQuery("UPDATE information_system SET status = $2, version = version + 1, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, status)).replaceWithVoid();
    }

    public Uni<Void> retire(SqlClient conn, long id) {
        return conn.preparedQuery("UPDATE information_system SET status = 'retired', retired_at = now(), version = version + 1, "
                + "updated_at = now() WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> moveTo(SqlClient conn, long id, String agencyCode) {
        return conn.preparedQuery("UPDATE information_system SET agency_code = $2, version = version + 1, updated_at = now() WHERE id = $1")
                .execute(Tuple.of(id, agencyCode)).replaceWithVoid();
    }

    /** The systems of an agency that still count (not retired), locked for the caller's transaction. */
    public Uni<List<InformationSystem>> lockActiveOfAgency(SqlClient conn, String agencyCode) {
        return conn.preparedQuery(SELECT + " WHERE s.agency_code = $1 AND s.status <> 'retired' ORDER BY s.code FOR UPDATE")
                .execute(Tuple.of(agencyCode)).map(rows -> {
                    List<InformationSystem> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Void> insertEvent(SqlClient conn, long systemId, String type, String cause, String actor, String comment,
            String fromStatus, String toStatus, String fromAgency, String toAgency) {
        return conn.preparedQuery("INSERT INTO system_event (system_id, type, cause, actor, comment, from_status, to_status, "
                + "from_agency, to_agency) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)")
                .execute(Tuple.from(Arrays.asList(systemId, type, cause, actor, comment, fromStatus, toStatus, fromAgency,
                        toAgency))).replaceWithVoid();
    }

    public Uni<List<SystemEvent>> events(SqlClient client, long systemId) {
        return client.preparedQuery("SELECT * FROM system_event WHERE system_id = $1 ORDER BY id").execute(Tuple.of(systemId))
                .map(rows -> {
                    List<SystemEvent> out = new ArrayList<>();
                    for (Row r : rows) {
                        OffsetDateTime at = r.getOffsetDateTime("at");
                        out.add(new SystemEvent(r.getString("type"), r.getString("cause"), at == null ? null : at.toInstant(),
                                r.getString("actor"), r.getString("comment"), r.getString("from_status"), r.getString("to_status"),
                                r.getString("from_agency"), r.getString("to_agency")));
                    }
                    return out;
                });
    }

    public Uni<Page<InformationSystem>> list(String status, String agencyCode, Environment environment, String q,
            Set<String> visible, String sort, String direction, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            args.add(status);
            where.append(" AND s.status = $").append(args.size());
        }
        if (agencyCode != null) {
            args.add(agencyCode);
            where.append(" AND s.agency_code = $").append(args.size());
        }
        if (environment != null) {
            where.append(environment == Environment.TEST ? " AND s.test_url IS NOT NULL" : " AND s.production_url IS NOT NULL");
        }
        if (q != null && !q.isBlank()) {
            args.add(TextSearch.likePattern(q));
            where.append(" AND s.search_text ILIKE $").append(args.size());
        }
        if (visible != null) {
            args.add(visible.toArray(String[]::new));
            where.append(" AND s.agency_code = ANY($").append(args.size()).append(')');
        }
        String order = Sorting.orderBy(sort, direction, SORTS, "code", "s.id");
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size);
        pageArgs.add(page.offset());
        String sql = SELECT + where + order + " LIMIT $" + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
        Uni<List<InformationSystem>> items = pool.preparedQuery(sql).execute(Tuple.from(pageArgs)).map(rows -> {
            List<InformationSystem> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(map(r));
            }
            return out;
        });
        Uni<Long> total = pool.preparedQuery("SELECT count(*) FROM information_system s" + where).execute(Tuple.from(args))
                .map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple()
                .map(t -> new Page<>(t.getItem1(), page.page, page.size, t.getItem2()));
    }

    // --- contacts --------------------------------------------------------------------------------

    public Uni<Contact> insertContact(SqlClient conn, long systemId, String systemCode, String name, String position,
            String phone, String email) {
        UUID id = UUID.randomUUID();
        return conn.preparedQuery("""
                INSERT INTO system_contact (id, system_id, name, position, phone, email) VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING created_at""")
                .execute(Tuple.from(Arrays.asList(id, systemId, name, position, phone, email)))
                .map(rows -> new Contact(id, systemCode, name, position, phone, email, instant(rows.iterator().next(), "created_at")));
    }

    public Uni<List<Contact>> contacts(SqlClient client, long systemId, String systemCode) {
        return client.preparedQuery("SELECT id, name, position, phone, email, created_at FROM system_contact WHERE system_id = $1 ORDER BY created_at, id")
                .execute(Tuple.of(systemId)).map(rows -> {
                    List<Contact> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Contact(r.getUUID("id"), systemCode, r.getString("name"), r.getString("position"),
                                r.getString("phone"), r.getString("email"), instant(r, "created_at")));
                    }
                    return out;
                });
    }

    public Uni<Boolean> deleteContact(SqlClient conn, long systemId, UUID contactId) {
        return conn.preparedQuery("DELETE FROM system_contact WHERE id = $1 AND system_id = $2")
                .execute(Tuple.of(contactId, systemId)).map(rs -> rs.rowCount() > 0);
    }

    private static InformationSystem first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static InformationSystem map(Row r) {
        String[] ips = r.getArrayOfStrings("allowed_source_ips");
        String test = r.getString("test_url");
        String prod = r.getString("production_url");
        return new InformationSystem(r.getLong("id"), r.getString("code"), r.getString("name"), r.getString("agency_code"),
                r.getString("description"), r.getString("purpose"), test == null && prod == null ? null : new BaseUrls(test, prod),
                ips == null ? List.of() : List.of(ips), r.getShort("security_level"), r.getBoolean("mandatory_connection"),
                r.getString("status"), instant(r, "created_at"), instant(r, "updated_at"), r.getInteger("version"));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
