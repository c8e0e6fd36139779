package vn.lgsp.routing.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.exchange.domain.Notice;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * An agency system that opens its event stream and stops reading, over a real TCP connection: once its socket
 * buffers are full and {@link ExchangeNotices#STREAM_BUFFER} notices wait on top, the replica drops the
 * connection and its stream, instead of holding every later notice in memory.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class ExchangeStreamStallTest {

    private static final String SYSTEM = "HTTT-CHAM-DOC";
    private static final String PADDING = "x".repeat(2000);

    @TestHTTPResource("/api/v1/exchanges/events")
    URI events;

    @Inject
    ExchangeNotices notices;

    @Inject
    MeterRegistry meters;

    @Test
    void aClientThatStopsReadingIsDroppedAndLetGo() throws Exception {
        String token = TestJwt.system(SYSTEM, "000.00.00.H10", "production");
        double overflowedBefore = meters.get("lgsp.exchange.streams.overflowed").functionCounter().count();
        int before = notices.streams();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // a reader that takes little, then nothing
            socket.connect(new InetSocketAddress(events.getHost(), events.getPort()), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + events.getPath() + " HTTP/1.1\r\nHost: " + events.getHost() + "\r\nAuthorization: Bearer "
                    + token + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            waitFor(() -> notices.streams() == before + 1, "the stream is open");

            // Notices of ~2 KB until the replica lets go: the socket buffers take a few MB, then more wait on top until
            // the hard limit (sent this fast, the writer's last progress is too recent to call it a stall sooner).
            int sent = 0;
            while (notices.streams() > before && sent < 40_000) {
                for (int i = 0; i < 200; i++) {
                    sent++;
                    notices.dispatch(new Notice(sent, SYSTEM, "production", "exchange.ready",
                            new JsonObject().put("n", sent).put("padding", PADDING)));
                }
            }
            assertEquals(before, notices.streams(), "the stalled stream was let go after " + sent + " notices");
            assertTrue(sent > ExchangeNotices.HARD_LIMIT, "not before the hard limit was passed: " + sent);
            assertEquals(overflowedBefore + 1,
                    meters.get("lgsp.exchange.streams.overflowed").functionCounter().count(), "counted for dashboards");

            // What reached the socket before the drop can still be read; then the connection ends (an orderly close or a
            // reset; a read timeout instead would fail the test: the server still held the connection).
            socket.setSoTimeout(10_000);
            byte[] buffer = new byte[65536];
            try {
                while (in.read(buffer) >= 0) {
                    // drain
                }
            } catch (java.net.SocketException reset) {
                // ended by a reset
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting: " + what);
            Thread.sleep(20);
        }
    }
}
