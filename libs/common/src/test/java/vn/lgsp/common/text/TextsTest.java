package vn.lgsp.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void clipKeepsWhatFitsAndCutsWhatDoesNot() {
        assertNull(Texts.clip(null, 4));
        assertEquals("abcd", Texts.clip("abcd", 4));
        assertEquals("abcd", Texts.clip("abcdef", 4));
    }

    @Test
    void clipMarkedSaysTheTextGoesOnWithinTheSameLength() {
        assertNull(Texts.clipMarked(null, 4));
        assertEquals("abcd", Texts.clipMarked("abcd", 4));
        assertEquals("abc…", Texts.clipMarked("abcdef", 4));
        assertEquals(2000, Texts.clipMarked("x".repeat(2001), 2000).length());
    }
}
