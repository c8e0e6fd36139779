package vn.lgsp.common.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AgencyCodeTest {

    @ParameterizedTest
    @ValueSource(strings = { "000.00.00.H62", "123.45.67.A01", "000.00.31.H02" })
    void nationalFormatIsAccepted(String code) {
        assertTrue(AgencyCode.isValid(code));
        assertEquals(code, new AgencyCode(code).value());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "000.00.00.h62", "000.00.00.H6", "00.00.00.H62", "000-00-00-H62", "000.00.00.H620",
            "000.00.00.62H", " 000.00.00.H62", "000.00.0A.H62" })
    void anythingElseIsRefused(String code) {
        assertFalse(AgencyCode.isValid(code));
        assertThrows(IllegalArgumentException.class, () -> new AgencyCode(code));
    }

    @Test
    void nullIsNotACode() {
        assertFalse(AgencyCode.isValid(null));
    }
}
