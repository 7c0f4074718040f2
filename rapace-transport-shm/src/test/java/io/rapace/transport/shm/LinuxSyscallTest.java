package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link LinuxSyscall}'s system call numbers: Linux's, for x86-64 and aarch64 only. */
class LinuxSyscallTest {

    @Test
    void x8664HasItsOwnNumbers() {
        assertThat(LinuxSyscall.numbers("Linux", "amd64"))
                .isEqualTo(new LinuxSyscall.Numbers(186, 204, 203, 315, 314, 309))
                .isEqualTo(LinuxSyscall.numbers("Linux", "x86_64"));
    }

    @Test
    void aarch64HasTheGenericTable() {
        assertThat(LinuxSyscall.numbers("Linux", "aarch64"))
                .isEqualTo(new LinuxSyscall.Numbers(178, 123, 122, 275, 274, 168));
    }

    @Test
    void otherArchitecturesAndSystemsHaveNone() {
        assertThat(LinuxSyscall.numbers("Linux", "riscv64")).isNull();
        assertThat(LinuxSyscall.numbers("Mac OS X", "aarch64")).isNull();
        assertThat(LinuxSyscall.numbers("Windows 11", "amd64")).isNull();
    }
}
