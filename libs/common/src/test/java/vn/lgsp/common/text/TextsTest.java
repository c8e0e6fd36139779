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

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String emoji = "ab\uD83D\uDE00"; // "ab😀": four chars, the last two one code point
        assertEquals("ab", Texts.clip(emoji, 3), "not a lone high surrogate");
        assertEquals(emoji, Texts.clip(emoji, 4));
        assertEquals("ab…", Texts.clipMarked(emoji + "c", 4));
    }

    @Test
    void printableReplacesWhatWouldChangeHowARecordReads() {
        assertNull(Texts.printable(null));
        assertEquals("Sở Tư pháp 0.9", Texts.printable("Sở Tư pháp 0.9"), "Vietnamese text is left alone");
        assertEquals("a?b??c?d?e", Texts.printable("a\nb\r\u001bc\u202Ed\u2028e"),
                "line breaks, escapes, a bidi override and a line separator");
        assertEquals("x?y", Texts.printable("x\u200By"), "a zero-width space");
    }
}
