package vn.lgsp.registry.system.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.common.net.Cidr;
import java.util.Locale;
import vn.lgsp.common.problem.Problem.FieldError;

/** Checks of base URLs and source-IP allow-lists, made when they are saved rather than when a call fails. */
public final class NetworkRules {


    private NetworkRules() {
    }

    public static void url(List<FieldError> errors, String field, String value) {
        if (value == null) {
            return;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null
                    || uri.getFragment() != null) {
                errors.add(new FieldError(field, "url", "must be an absolute http or https URL with a host, without user info or fragment"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "url", "is not a valid URL"));
        }
    }

    public static List<FieldError> check(String testUrl, String productionUrl, List<String> ips) {
        List<FieldError> errors = new ArrayList<>();
        url(errors, "baseUrls.test", testUrl);
        url(errors, "baseUrls.production", productionUrl);
        if (ips != null) {
            for (int i = 0; i < ips.size(); i++) {
                String ip = ips.get(i);
                String why = ip == null || ip.isBlank() || ip.length() > 64 ? "" : cidrProblem(ip);
                if (why != null) {
                    errors.add(new FieldError("allowedSourceIps[" + i + "]", "ipOrCidr",
                            "must be an IPv4 or IPv6 address or CIDR block, e.g. 203.0.113.10, 10.0.0.0/8 or 2001:db8::/32"
                                    + (why.isEmpty() ? "" : " (" + why + ")")));
                }
            }
        }
        return errors;
    }

    /** Null for an address or CIDR block (never a host name: no DNS lookups when saving), else what is wrong. */
    private static String cidrProblem(String value) {
        try {
            Cidr.of(value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
