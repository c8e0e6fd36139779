package vn.lgsp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens, kept so while this is open: a socket bound to it but never connected nor
 * listening holds it, so a connection attempt is refused (an unreachable provider) and no server of the same JVM
 * asking for any free port ({@code bind(0)}) can be given it. A port merely found free and released could be, and a
 * test's "unreachable" provider would then answer, or a later {@code StubUpstream.start(port)} fail to bind.
 * {@link #close()} releases it at once (a socket never connected leaves no TIME_WAIT), e.g. just before a test
 * starts the provider there to show it coming back.
 */
public final class ClosedPort implements AutoCloseable {

    private final Socket holder;

    private ClosedPort(Socket holder) {
        this.holder = holder;
    }

    public static ClosedPort reserve() {
        Socket s = new Socket();
        try {
            // 127.0.0.1 by name, as url() says: the loopback address could be ::1 where IPv6 is preferred
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return new ClosedPort(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("no loopback port to reserve", e);
        }
    }

    public int port() {
        return holder.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}: a provider base URL that refuses connections while this is open. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        try {
            holder.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
