package vn.lgsp.e2e;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One running platform for every journey class of this test JVM: starting five services costs ~15 s,
 * so the journeys share it and each creates its own agencies, systems and services (distinct codes).
 */
final class SharedPlatform {

    private static Platform platform;

    private SharedPlatform() {
    }

    static synchronized Platform get() {
        if (platform == null) {
            Path root = Path.of(System.getProperty("lgsp.repo.root", "..")).toAbsolutePath().normalize();
            Platform p = Platform.builder(root, root.resolve("e2e/target/platform-" + System.currentTimeMillis()))
                    .randomPorts().jsonLogs(false).progress(System.out)
                    // probe providers every second so the unreachable-provider journey need not wait 10 s
                    .property("routing", "lgsp.routing.health-check.interval", "1s")
                    .property("routing", "lgsp.routing.health-check.timeout", "1s")
                    // routing spools audit records on disk as in production, but in a small spool (32 KiB, some
                    // 40 records) behind a small in-memory hand-off, so the audit-outage journey reaches "refuse
                    // rather than serve unlogged" within a few dozen calls
                    .property("routing", "lgsp.platform.audit.buffer-size", "64")
                    .property("routing", "lgsp.platform.audit.spool.max-bytes", "32768")
                    .property("routing", "lgsp.platform.audit.spool.segment-bytes", "8192")
                    // routing is restarted while audit is down: do not spend long trying to deliver on the way out
                    .property("routing", "lgsp.platform.audit.drain-timeout", "2s")
                    .build();
            p.start(Duration.ofSeconds(180));
            Runtime.getRuntime().addShutdownHook(new Thread(p::close, "lgsp-e2e-stop"));
            platform = p;
        }
        return platform;
    }
}
