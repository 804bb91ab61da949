package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NativeMemoryTest {

    @Test
    void tunesUnlessTheOperatorChoseOtherwise() {
        assertThat(NativeMemory.wanted(Map.of())).isTrue();
        assertThat(NativeMemory.wanted(Map.of("RECALIGN_MALLOC_TUNING", "true"))).isTrue();
        assertThat(NativeMemory.wanted(Map.of("RECALIGN_MALLOC_TUNING", "FALSE"))).isFalse();
        assertThat(NativeMemory.wanted(Map.of("MALLOC_ARENA_MAX", "4"))).isFalse();
        assertThat(NativeMemory.wanted(Map.of("MALLOC_TOP_PAD_", "0", "HOME", "/data"))).isFalse();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void glibcAcceptsEveryParameter() {
        assertThat(NativeMemory.apply()).isTrue();
    }
}
