package vn.lgsp.auth.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    @Test
    void productionRequiresAWellFormedMasterKey() {
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> MasterKey.load(null, LaunchMode.NORMAL));
        assertTrue(missing.getMessage().contains("lgsp.auth.master-key"));
        assertThrows(IllegalStateException.class, () -> MasterKey.load("not base64!", LaunchMode.NORMAL));
        assertThrows(IllegalStateException.class,
                () -> MasterKey.load(Base64.getEncoder().encodeToString(new byte[16]), LaunchMode.NORMAL));
        assertEquals(32, MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]), LaunchMode.NORMAL).getEncoded().length);
        // Dev and test fall back to a fixed (public) key so their data survives restarts.
        assertArrayEquals(MasterKey.load(null, LaunchMode.TEST).getEncoded(), MasterKey.load("", LaunchMode.DEVELOPMENT).getEncoded());
    }

    @Test
    void ciphertextsAreBoundToTheirRow() {
        MasterKey key = new MasterKey();
        key.config = null;
        key.useKeyForTests(MasterKey.load(Base64.getEncoder().encodeToString(new byte[32]), LaunchMode.NORMAL));
        byte[] plain = "sk_secret".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = key.encrypt(plain, "credential:1");
        assertArrayEquals(plain, key.decrypt(sealed, "credential:1"));
        assertThrows(IllegalStateException.class, () -> key.decrypt(sealed, "credential:2"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> key.decrypt(sealed, "credential:1"));
    }
}
