package vn.lgsp.routing.snapshot.service;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import vn.lgsp.routing.snapshot.domain.Snapshot;

/** The current snapshot: one volatile read per request, replaced as a whole by the loaders. */
@Singleton
public class SnapshotHolder {

    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);

    public Snapshot get() {
        return current.get();
    }

    public Snapshot update(UnaryOperator<Snapshot> change) {
        return current.updateAndGet(change);
    }
}
