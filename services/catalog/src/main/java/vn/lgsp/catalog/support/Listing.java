package vn.lgsp.catalog.support;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import vn.lgsp.common.paging.Page;

/**
 * A filtered, paged list query: conditions are added only for the filters given (null means "any"), each value a
 * bind parameter, then one count and one page are read with the same conditions.
 */
public final class Listing {

    private final StringBuilder where = new StringBuilder(" WHERE 1=1");
    private final List<Object> args = new ArrayList<>();

    /** {@code column = value}, unless value is null. */
    public Listing eq(String column, Object value) {
        if (value != null) {
            args.add(value);
            where.append(" AND ").append(column).append(" = $").append(args.size());
        }
        return this;
    }

    /**
     * A condition with one bind parameter, written by {@code condition} from its placeholder ({@code $n}); it may
     * use the placeholder several times.
     */
    public Listing with(Object value, Function<String, String> condition) {
        args.add(value);
        where.append(" AND ").append(condition.apply("$" + args.size()));
        return this;
    }

    /** A condition without parameters. */
    public Listing with(String condition) {
        where.append(" AND ").append(condition);
        return this;
    }

    /**
     * An agency admin's side of subscriptions (null: every side): rows whose consumer agency it is, or whose service
     * it owns.
     */
    public Listing sideOf(String agency, String consumerAgencyColumn, String serviceCodeColumn) {
        return agency == null ? this : with(agency, p -> "(" + consumerAgencyColumn + " = " + p + " OR " + serviceCodeColumn
                + " IN (SELECT code FROM data_service WHERE owner_agency = " + p + "))");
    }

    /** How many rows {@code from} holds under the conditions, and the page of them in {@code orderBy} order. */
    public <T> Uni<Page<T>> page(Pool pool, String select, String from, String orderBy, int page, int size,
            Function<Row, T> map) {
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        String rows = select + " FROM " + from + where + " ORDER BY " + orderBy + " LIMIT $" + (args.size() + 1)
                + " OFFSET $" + (args.size() + 2);
        return pool.preparedQuery("SELECT count(*) AS n FROM " + from + where).execute(Tuple.from(args))
                .map(rs -> rs.iterator().next().getLong("n"))
                .chain(total -> pool.preparedQuery(rows).execute(Tuple.from(pageArgs)).map(found -> {
                    List<T> items = new ArrayList<>();
                    found.forEach(r -> items.add(map.apply(r)));
                    return new Page<>(items, page, size, total);
                }));
    }
}
