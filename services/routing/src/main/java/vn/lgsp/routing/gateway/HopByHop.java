package vn.lgsp.routing.gateway;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/** RFC 9110 §7.6.1: headers that belong to one connection and never cross the gateway. */
public final class HopByHop {

    public static final Set<String> HEADERS = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private HopByHop() {
    }

    public static boolean is(String lowerCaseName) {
        return HEADERS.contains(lowerCaseName) || lowerCaseName.startsWith("proxy-");
    }

    /** Header names listed in Connection (lower case), which are hop-by-hop for this message too. */
    public static Set<String> namedIn(MultiMap headers) {
        String connection = headers.get("Connection");
        if (connection == null || connection.isEmpty()) {
            return Set.of();
        }
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (String token : connection.split(",")) {
            String t = token.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                names.add(t);
            }
        }
        return names;
    }
}
