package vn.lgsp.common.paging;

import java.util.List;
import java.util.function.Function;

/** One page of a list, with what a client needs to fetch the next one. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), page, size, total);
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }
}
