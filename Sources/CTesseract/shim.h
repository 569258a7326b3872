// Tesseract's C API (tesseract/capi.h). Backdrop only ever hands it pixel buffers (SetImage), never a
// file name or URL: libtesseract links libcurl and would fetch an image given a URL.
#ifndef CTESSERACT_SHIM_H
#define CTESSERACT_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <tesseract/capi.h>

/// Debian's libtesseract is built with OpenMP and opens a team of threads for every LSTM step. On a
/// few cores, with one engine per thread already, that oversubscribes the CPU and makes recognition
/// ~4× slower (the known OMP_THREAD_LIMIT=1 advice, which libgomp only reads at process start). Setting
/// the calling thread's max-active-levels to 0 makes its parallel regions run on that thread alone.
/// Looked up at run time: a libtesseract built without OpenMP has no libgomp, and this is then a no-op.
static inline void ctesseract_run_openmp_serially(void) {
    void (*set_max_active_levels)(int) = (void (*)(int)) dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
    if (set_max_active_levels) set_max_active_levels(0);
}

#endif
