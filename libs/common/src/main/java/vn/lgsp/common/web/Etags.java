package vn.lgsp.common.web;

import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Optimistic concurrency on the wire (RFC 9110 §13.1.1): the ETag is the row version. */
public final class Etags {

    private Etags() {
    }

    public static String of(int version) {
        return "\"" + version + "\"";
    }

    /** For updates: If-Match is mandatory (428) and must name the current version (412). */
    public static void require(String ifMatch, int currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(ProblemType.PRECONDITION_REQUIRED,
                    "Send If-Match with the ETag you last read, so a concurrent change is not overwritten");
        }
        check(ifMatch, currentVersion);
    }

    /** For workflow actions: If-Match is optional, but when sent it must be current. */
    public static void check(String ifMatch, int currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return;
            }
            // A weak tag is still our version number: we only ever issue strong ones.
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(of(currentVersion))) {
                return;
            }
        }
        throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                "The resource changed since you read it (current ETag " + of(currentVersion) + "); read it again and retry");
    }
}
