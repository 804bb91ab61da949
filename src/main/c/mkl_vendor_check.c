/*
 * oneMKL, linked into libtorch, asks this function whether the processor is Intel's before it picks
 * its matrix kernels, and on any other vendor's processor falls back to AVX2 code even where AVX-512
 * is present. Opened into the process's global symbol scope before libtorch's own definition is
 * bound, this one answers yes, so MKL chooses by the instruction sets the processor reports.
 * See io.recalign.system.MklVendorCheck.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
