package vn.lgsp.catalog.support;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A date or instant the platform can keep: from 2000 to 9999 (UTC for instants). JSON dates may carry any year
 * (+999999999-12-31); the database's types cannot hold most of them, and the client would otherwise store a far year
 * as another day.
 */
@Target({ FIELD, METHOD, PARAMETER })
@Retention(RUNTIME)
@Constraint(validatedBy = { CalendarDay.Check.class, CalendarDay.CheckInstant.class })
public @interface CalendarDay {

    LocalDate FIRST = LocalDate.of(2000, 1, 1);
    LocalDate LAST = LocalDate.of(9999, 12, 31);

    String message() default "must be from the year 2000 to 9999";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<CalendarDay, LocalDate> {
        @Override
        public boolean isValid(LocalDate value, ConstraintValidatorContext context) {
            return value == null || (!value.isBefore(FIRST) && !value.isAfter(LAST));
        }
    }

    class CheckInstant implements ConstraintValidator<CalendarDay, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            // compared by epoch seconds: a far year does not fit a date conversion
            return value == null || (value.getEpochSecond() >= FIRST.toEpochSecond(java.time.LocalTime.MIN, ZoneOffset.UTC)
                    && value.getEpochSecond() < LAST.plusDays(1).toEpochSecond(java.time.LocalTime.MIN, ZoneOffset.UTC));
        }
    }
}
