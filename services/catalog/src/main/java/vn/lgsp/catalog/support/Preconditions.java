package vn.lgsp.catalog.support;

import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Conditional requests (RFC 9110 §13): changes need If-Match with the current ETag, so no update is lost. */
public final class Preconditions {

    private Preconditions() {
    }

    /** Checks If-Match against the current row version; returns the version the update must still find. */
    public static int requireMatch(String ifMatch, int currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ProblemException(ProblemType.PRECONDITION_REQUIRED,
                    "Send If-Match with the ETag of your last read, so you do not overwrite someone else's change");
        }
        String current = "\"" + currentVersion + "\"";
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(current)) {
                return currentVersion;
            }
        }
        throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                "The resource changed since you read it (current ETag " + current + "); read it again and retry");
    }
}
