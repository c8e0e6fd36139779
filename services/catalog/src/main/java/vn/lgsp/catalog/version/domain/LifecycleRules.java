package vn.lgsp.catalog.version.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/**
 * The lifecycle rules of a service version, free of I/O and of the clock so they can be tested at, just
 * inside and just outside every limit. Limits are inclusive: exactly 180 days of overlap or exactly 60 days
 * of notice is enough.
 */
public final class LifecycleRules {

    /** Consumers get at least this long on both versions before the old one sunsets. */
    public static final Duration MIN_OVERLAP = Duration.ofDays(180);
    /** Consumers are told at least this long before a version is retired. */
    public static final Duration MIN_NOTICE = Duration.ofDays(60);

    private static final Map<VersionStatus, Set<VersionStatus>> NEXT = Map.of(
            VersionStatus.DRAFT, Set.of(VersionStatus.TESTING),
            VersionStatus.TESTING, Set.of(VersionStatus.DRAFT, VersionStatus.PUBLISHED),
            VersionStatus.PUBLISHED, Set.of(VersionStatus.DEPRECATED),
            VersionStatus.DEPRECATED, Set.of(VersionStatus.RETIRED),
            VersionStatus.RETIRED, Set.of());

    private LifecycleRules() {
    }

    public static boolean allowed(VersionStatus from, VersionStatus to) {
        return NEXT.get(from).contains(to);
    }

    public static void requireAllowed(VersionStatus from, VersionStatus to) {
        if (!allowed(from, to)) {
            throw ProblemException.illegalTransition(from.wire(), to.wire());
        }
    }

    /** The earliest sunset of an old version, given when its successor was published. */
    public static Instant earliestSunset(Instant successorPublishedAt) {
        return successorPublishedAt.plus(MIN_OVERLAP);
    }

    /** Deprecation: sunsetAt is required and no earlier than 180 days after the successor was published. */
    public static void checkSunset(Instant sunsetAt, Instant successorPublishedAt) {
        if (sunsetAt == null) {
            throw FieldErrors.of(ProblemType.VALIDATION, "sunsetAt", "required", "Deprecating needs a sunsetAt date");
        }
        Instant earliest = earliestSunset(successorPublishedAt);
        if (sunsetAt.isBefore(earliest)) {
            throw FieldErrors.of(ProblemType.VALIDATION, "sunsetAt", "minOverlap180Days",
                    "sunsetAt must be at least 180 days after the newer version was published, i.e. on or after " + earliest);
        }
    }

    /** A retirement notice: retireAt at least 60 days from now, and not before the sunset. */
    public static void checkNotice(Instant retireAt, Instant now, Instant sunsetAt) {
        if (retireAt == null) {
            throw FieldErrors.of(ProblemType.VALIDATION, "retireAt", "required", "A retirement notice needs retireAt");
        }
        Instant earliest = now.plus(MIN_NOTICE);
        if (retireAt.isBefore(earliest)) {
            throw FieldErrors.of(ProblemType.VALIDATION, "retireAt", "minNotice60Days",
                    "retireAt must be at least 60 days from now, i.e. on or after " + earliest);
        }
        if (sunsetAt != null && retireAt.isBefore(sunsetAt)) {
            throw FieldErrors.of(ProblemType.VALIDATION, "retireAt", "notBeforeSunset",
                    "retireAt must not be before the announced sunset " + sunsetAt);
        }
    }

    /** Retiring: only after a notice, and only once its date has come. */
    public static void checkRetire(Instant retireAt, Instant now) {
        if (retireAt == null) {
            throw FieldErrors.of(ProblemType.CONFLICT, "to", "retirementNoticeRequired",
                    "Give a retirement notice (POST .../retirement-notice) at least 60 days before retiring");
        }
        if (now.isBefore(retireAt)) {
            throw FieldErrors.of(ProblemType.CONFLICT, "to", "retireAtNotReached",
                    "This version may be retired on or after " + retireAt);
        }
    }
}
