package vn.lgsp.registry.system.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import vn.lgsp.common.problem.Problem.FieldError;

/** Checks of base URLs and source-IP allow-lists, made when they are saved rather than when a call fails. */
public final class NetworkRules {

    private static final Pattern IPV4 = Pattern.compile("^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

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

    /** An IPv4 or IPv6 address, or a CIDR block of either; no host names (no DNS lookups when saving). */
    public static boolean isAddressOrCidr(String value) {
        String[] parts = value.split("/", -1);
        if (parts.length > 2) {
            return false;
        }
        String address = parts[0];
        int max;
        if (IPV4.matcher(address).matches()) {
            max = 32;
        } else if (address.contains(":") && IPV6_CHARS.matcher(address).matches()) {
            try {
                // a literal containing ':' is parsed, never resolved
                InetAddress.getByName(address);
            } catch (Exception e) {
                return false;
            }
            max = 128;
        } else {
            return false;
        }
        if (parts.length == 1) {
            return true;
        }
        if (!parts[1].matches("[0-9]{1,3}")) {
            return false;
        }
        int prefix = Integer.parseInt(parts[1]);
        return prefix >= 0 && prefix <= max;
    }

    public static List<FieldError> check(String testUrl, String productionUrl, List<String> ips) {
        List<FieldError> errors = new ArrayList<>();
        url(errors, "baseUrls.test", testUrl);
        url(errors, "baseUrls.production", productionUrl);
        if (ips != null) {
            for (int i = 0; i < ips.size(); i++) {
                String ip = ips.get(i);
                if (ip == null || ip.isBlank() || ip.length() > 64 || !isAddressOrCidr(ip.trim())) {
                    errors.add(new FieldError("allowedSourceIps[" + i + "]", "ipOrCidr",
                            "must be an IPv4 or IPv6 address or CIDR block, e.g. 203.0.113.10, 10.0.0.0/8 or 2001:db8::/32"));
                }
            }
        }
        return errors;
    }
}
