// Process-wide settings made as the process starts, before main: a constructor of the executable runs
// after every shared library's own.
//
// OpenBLAS (under OpenCV core's LAPACK) starts one thread per core as it loads, and those threads spin in
// sched_yield for their first ~0.1 s waiting for work Backdrop never gives them (OpenCV's LAPACK paths are
// the small solves of a perspective warp). On two cores that spinning took a core from every short command:
// a 2000 px mockup finished ~20 ms sooner without it (measured, issue 5). The threads are stopped here and
// OpenBLAS is kept to the calling thread. A user who set OPENBLAS_NUM_THREADS keeps their setting.
// (Setting the variable from .preinit_array does not work: libc's own start-up resets the environment.)

#include <cstdlib>
#include <dlfcn.h>

namespace {

__attribute__((constructor)) void backdrop_quiet_openblas() {
    if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr) return;
    using SetThreads = void (*)(int);
    using Shutdown = int (*)();
    // Looked up, not linked: OpenBLAS is present only as the LAPACK Debian's OpenCV happens to load.
    auto set_threads = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    auto shutdown = reinterpret_cast<Shutdown>(dlsym(RTLD_DEFAULT, "blas_thread_shutdown_"));
    if (set_threads == nullptr || shutdown == nullptr) return;
    set_threads(1);
    shutdown();
}

}  // namespace
