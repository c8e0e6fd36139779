package vn.lgsp.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./lgsp up}: starts the platform on the default ports, loads the demo world, prints where
 * everything is and a curl sequence to try, then keeps running until it is stopped ({@code ./lgsp down}
 * sends SIGTERM; the shutdown hook stops the services and the database).
 */
public final class Devstack {

    private Devstack() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Path work = root.resolve(".lgsp");
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("ready"));
        Platform platform = Platform.builder(root, work)
                .postgresPort(15432)
                .providerPort(9090)
                .progress(System.out)
                .build();
        List<String> busy = platform.busyPorts();
        if (!busy.isEmpty()) {
            System.out.println("ERROR: these ports are already in use: " + String.join(", ", busy));
            System.out.println("Stop what uses them (or a previous run with ./lgsp down) and try again.");
            System.exit(3);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the LGSP platform...");
            platform.close();
            System.out.println("Stopped.");
        }, "lgsp-down"));
        try {
            platform.start(Duration.ofSeconds(120));
        } catch (IllegalStateException e) {
            System.out.println("ERROR: " + e.getMessage());
            System.exit(4);
        }
        PlatformClient client = PlatformClient.of(platform);
        System.out.println("Loading demo data through the APIs...");
        DemoData.World world = DemoData.create(client, platform.operatorUsername(), platform.operatorPassword(),
                platform.providerUrl());
        String summary = summary(platform, world);
        writePrivate(work.resolve("operator-password"), platform.operatorPassword());
        writePrivate(work.resolve("summary.txt"), summary);
        Files.writeString(work.resolve("ready"), "ready\n", StandardOpenOption.CREATE);
        System.out.println(summary);
        Thread.currentThread().join();
    }

    private static void writePrivate(Path file, String content) throws java.io.IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    static String summary(Platform p, DemoData.World w) {
        String gw = p.gatewayUrl();
        return """

                LGSP is running.
                  routing  (gateway)  %s   admin: %s/api/v1/routing/status
                  registry            %s/q/swagger-ui
                  auth                %s/q/swagger-ui   metadata: %s/.well-known/oauth-authorization-server
                  catalog             %s/q/swagger-ui
                  audit               %s/q/swagger-ui
                  demo provider       %s
                  health              <service>/q/health/ready   metrics: <service>/q/metrics
                  logs                .lgsp/logs/<service>.log
                  audit spool         .lgsp/run/routing/audit-spool (records on their way to audit; kept across restarts)

                Operator login: user 'operator', password in .lgsp/operator-password (shown nowhere else).

                Try the journey (An Giang Art. 12 token flow):
                  # 1. the consumer system exchanges its consumer key + secret for a 1-hour token
                  TOKEN=$(curl -s -u '%s:%s' -d grant_type=client_credentials %s/oauth2/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                  # 2. it calls the provider's service through the gateway
                  curl -i -H "Authorization: Bearer $TOKEN" %s/%s/%s/so-ho-tich?ma=123
                  # 3. the operator finds the transaction in the audit log
                  OP=$(curl -s -H 'Content-Type: application/json' -d "{\\"username\\":\\"operator\\",\\"password\\":\\"$(cat .lgsp/operator-password)\\"}" %s/api/v1/admin/login | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                  curl -s -H "Authorization: Bearer $OP" "%s/api/v1/events?consumerSystem=%s"
                  # without a token: 401 problem+json
                  curl -i %s/%s/%s/so-ho-tich

                Stop everything with: ./lgsp down
                """.formatted(gw, p.url("routing"), p.url("registry"), p.url("auth"), p.url("auth"), p.url("catalog"), p.url("audit"),
                p.providerUrl(), w.clientId(), w.clientSecret(), p.url("auth"), gw, DemoData.SERVICE, DemoData.VERSION,
                p.url("auth"), p.url("audit"), DemoData.CONSUMER_SYSTEM, gw, DemoData.SERVICE, DemoData.VERSION);
    }
}
