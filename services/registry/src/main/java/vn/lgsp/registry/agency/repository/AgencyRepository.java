package vn.lgsp.registry.agency.repository;

import static vn.lgsp.common.db.Timestamps.instant;
import static vn.lgsp.common.db.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.registry.agency.domain.Agency;
import vn.lgsp.registry.agency.domain.AgencyEvent;
import vn.lgsp.registry.support.Sorting;
import vn.lgsp.registry.support.TextSearch;

/** The agency tables, through the reactive SQL client. Writes take the caller's transaction connection. */
@ApplicationScoped
public class AgencyRepository {

    private static final String SELECT = """
            SELECT a.id, a.code, a.name, a.short_name, a.parent_code, a.level, a.status, a.successor_codes,
              a.version, a.created_at, a.updated_at,
              ARRAY(SELECT x.old_code FROM agency_code_alias x WHERE x.agency_code = a.code ORDER BY x.retired_at) AS previous_codes
            FROM agency a""";

    static final Map<String, String> SORTS = Map.of("name", "a.name", "code", "a.code", "createdAt", "a.created_at");

    @Inject
    Pool pool;

    public Pool pool() {
        return pool;
    }

    public Uni<Agency> findByCode(SqlClient client, String code) {
        return client.preparedQuery(SELECT + " WHERE a.code = $1").execute(Tuple.of(code)).map(AgencyRepository::first);
    }

    /** The agency by its current code, or by an old code it had before it was re-issued. */
    public Uni<Agency> resolve(SqlClient client, String code) {
        return findByCode(client, code).flatMap(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            return client.preparedQuery("SELECT agency_code FROM agency_code_alias WHERE old_code = $1")
                    .execute(Tuple.of(code))
                    .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<Agency>nullItem()
                            : findByCode(client, rows.iterator().next().getString(0)).map(a -> a == null ? null : a.resolvedFrom(code)));
        });
    }

    /** Locks the row for the rest of the transaction, so two concurrent changes are serialised. */
    public Uni<Agency> lock(SqlClient conn, String code) {
        return conn.preparedQuery(SELECT + " WHERE a.code = $1 FOR UPDATE OF a").execute(Tuple.of(code)).map(AgencyRepository::first);
    }

    /** Whether a code is in use now or was used before (old codes are never handed out again). */
    public Uni<Boolean> codeTaken(SqlClient client, String code) {
        return client.preparedQuery("SELECT 1 FROM agency WHERE code = $1 UNION ALL SELECT 1 FROM agency_code_alias WHERE old_code = $1")
                .execute(Tuple.of(code)).map(rows -> rows.size() > 0);
    }

    public Uni<Long> insert(SqlClient conn, String code, String name, String shortName, String parentCode, String level) {
        return conn.preparedQuery("""
                INSERT INTO agency (code, name, short_name, search_text, parent_code, level)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""")
                .execute(Tuple.from(Arrays.asList(code, name, shortName, TextSearch.fold(name, shortName, code), parentCode, level)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> update(SqlClient conn, long id, String code, String name, String shortName, String parentCode, String level) {
        return conn.preparedQuery("""
                UPDATE agency SET name = $2, short_name = $3, search_text = $4, parent_code = $5, level = $6,
                  version = version + 1, updated_at = now() WHERE id = $1""")
                .execute(Tuple.from(Arrays.asList(id, name, shortName, TextSearch.fold(name, shortName, code), parentCode, level)))
                .replaceWithVoid();
    }

    /** Re-issues the code: children and systems follow through ON UPDATE CASCADE; the old code becomes an alias. */
    public Uni<Void> reissueCode(SqlClient conn, long id, String oldCode, String newCode) {
        return conn.preparedQuery("UPDATE agency SET code = $2 WHERE id = $1").execute(Tuple.of(id, newCode))
                .flatMap(r -> conn.preparedQuery("INSERT INTO agency_code_alias (old_code, agency_code) VALUES ($1, $2)")
                        .execute(Tuple.of(oldCode, newCode)))
                .replaceWithVoid();
    }

    public Uni<Void> setStatus(SqlClient conn, long id, String status, List<String> successors) {
        return conn.preparedQuery("""
                UPDATE agency SET status = $2, successor_codes = $3, version = version + 1, updated_at = now() WHERE id = $1""")
                .execute(Tuple.of(id, status, successors.toArray(String[]::new))).replaceWithVoid();
    }

    public Uni<Void> insertEvent(SqlClient conn, long agencyId, String type, Instant effectiveAt, String actor, String comment,
            String beforeName, String afterName, String beforeCode, String afterCode, List<String> successors) {
        return conn.preparedQuery("""
                INSERT INTO agency_event (agency_id, type, effective_at, actor, comment, before_name, after_name,
                  before_code, after_code, successor_codes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
                .execute(Tuple.from(Arrays.asList(agencyId, type, utc(effectiveAt == null ? Instant.now() : effectiveAt), actor,
                        comment, beforeName, afterName, beforeCode, afterCode,
                        successors == null ? new String[0] : successors.toArray(String[]::new))))
                .replaceWithVoid();
    }

    public Uni<List<AgencyEvent>> history(long agencyId) {
        return pool.preparedQuery("""
                SELECT id, type, effective_at, recorded_at, actor, comment, before_name, after_name, before_code, after_code,
                  successor_codes FROM agency_event WHERE agency_id = $1 ORDER BY id""")
                .execute(Tuple.of(agencyId)).map(rows -> {
                    List<AgencyEvent> out = new ArrayList<>();
                    for (Row r : rows) {
                        String[] succ = r.getArrayOfStrings("successor_codes");
                        out.add(new AgencyEvent(r.getLong("id"), r.getString("type"), instant(r, "effective_at"),
                                instant(r, "recorded_at"), r.getString("actor"), r.getString("comment"),
                                r.getString("before_name"), r.getString("after_name"), r.getString("before_code"),
                                r.getString("after_code"), succ == null || succ.length == 0 ? null : List.of(succ)));
                    }
                    return out;
                });
    }

    /**
     * The agency (resolved through old codes) and every agency below it. Merged, split and dissolved
     * agencies stay in the tree: their admins keep reading their history.
     */
    public Uni<Set<String>> subtree(String code) {
        return pool.preparedQuery("""
                WITH RECURSIVE root AS (
                  SELECT code FROM agency WHERE code = $1
                  UNION SELECT agency_code FROM agency_code_alias WHERE old_code = $1
                ), tree AS (
                  SELECT a.code FROM agency a JOIN root r ON a.code = r.code
                  UNION SELECT c.code FROM agency c JOIN tree t ON c.parent_code = t.code
                ) SELECT code FROM tree""")
                .execute(Tuple.of(code)).map(rows -> {
                    Set<String> out = new HashSet<>();
                    for (Row r : rows) {
                        out.add(r.getString(0));
                    }
                    return out;
                });
    }

    public Uni<Page<Agency>> list(String status, String parentCode, String q, Set<String> visible, String sort, String direction,
            PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            args.add(status);
            where.append(" AND a.status = $").append(args.size());
        }
        if (parentCode != null) {
            args.add(parentCode);
            where.append(" AND a.parent_code = $").append(args.size());
        }
        if (q != null && !q.isBlank()) {
            args.add(TextSearch.likePattern(q));
            where.append(" AND a.search_text ILIKE $").append(args.size());
        }
        if (visible != null) {
            args.add(visible.toArray(String[]::new));
            where.append(" AND a.code = ANY($").append(args.size()).append(')');
        }
        String order = Sorting.orderBy(sort, direction, SORTS, "code", "a.id");
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size);
        pageArgs.add(page.offset());
        String sql = SELECT + where + order + " LIMIT $" + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
        Uni<List<Agency>> items = pool.preparedQuery(sql).execute(Tuple.from(pageArgs)).map(AgencyRepository::all);
        Uni<Long> total = pool.preparedQuery("SELECT count(*) FROM agency a" + where).execute(Tuple.from(args))
                .map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(items, total).asTuple()
                .map(t -> new Page<>(t.getItem1(), page.page, page.size, t.getItem2()));
    }

    private static Agency first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static List<Agency> all(RowSet<Row> rows) {
        List<Agency> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(map(r));
        }
        return out;
    }

    private static Agency map(Row r) {
        String[] succ = r.getArrayOfStrings("successor_codes");
        String[] prev = r.getArrayOfStrings("previous_codes");
        return new Agency(r.getLong("id"), r.getString("code"), r.getString("name"), r.getString("short_name"),
                r.getString("parent_code"), r.getString("level"), r.getString("status"),
                succ == null || succ.length == 0 ? null : List.of(succ), prev == null || prev.length == 0 ? null : List.of(prev),
                instant(r, "created_at"), instant(r, "updated_at"), r.getInteger("version"), null);
    }
}
