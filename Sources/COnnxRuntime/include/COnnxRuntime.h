// COnnxRuntime: ONNX Runtime's C API, loaded at run time with dlopen so Backdrop builds and runs
// without the library. The PyPI wheel ships libonnxruntime.so exporting OrtGetApiBase but no header,
// so the part of the API Backdrop uses is declared here by hand (see connxruntime_api.h), and this
// header exposes a small wrapper: load, create a session, run one float tensor, release.
#ifndef CONNXRUNTIME_H
#define CONNXRUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a call: code 0 means success; otherwise message says why.
typedef struct {
    int code;
    char message[512];
} connxruntime_status;

enum {
    CONNXRUNTIME_OK = 0,
    CONNXRUNTIME_BAD_ARGUMENT = 1,
    CONNXRUNTIME_LIBRARY_ERROR = 2,  // the library could not be loaded or is not ONNX Runtime
    CONNXRUNTIME_MODEL_ERROR = 3,    // ONNX Runtime refused the model or failed to run it
};

/// A loaded ONNX Runtime library with its API table and environment (opaque). Never unloaded:
/// ONNX Runtime's thread pools do not survive dlclose.
typedef struct connxruntime_library connxruntime_library;

/// A session over one model (opaque). Run is thread-safe in ONNX Runtime.
typedef struct connxruntime_session connxruntime_session;

/// Loads the library at `path` (dlopen), resolves OrtGetApiBase, asks for the API version this
/// wrapper was written against and creates the environment. Returns NULL with a message on failure.
connxruntime_library *connxruntime_load(const char *path, connxruntime_status *status);

/// The library's version string, e.g. "1.25.1".
const char *connxruntime_version(const connxruntime_library *library);

/// Creates a session: intra-op threads (0 = ONNX Runtime's default), one inter-op thread,
/// sequential execution, all graph optimisations, no memory pattern (it costs ~200 MB of peak RSS).
connxruntime_session *connxruntime_session_create(connxruntime_library *library, const char *model_path,
                                                  int intra_op_threads, connxruntime_status *status);
/// The same, from a model held in memory (`length` bytes; ONNX Runtime copies what it needs), keeping
/// ONNX Runtime's CPU memory arena when `memory_arena` is non-zero (faster for a model always run at
/// about one size; its memory is kept until the session is freed).
connxruntime_session *connxruntime_session_create_from_bytes(connxruntime_library *library, const void *model,
                                                             size_t length, int intra_op_threads, int memory_arena,
                                                             connxruntime_status *status);
void connxruntime_session_free(connxruntime_session *session);

/// The number of graph inputs or outputs, and their names (copied into `name`, at most `capacity`
/// bytes with the terminating zero).
size_t connxruntime_session_input_count(const connxruntime_session *session);
size_t connxruntime_session_output_count(const connxruntime_session *session);
int connxruntime_session_input_name(const connxruntime_session *session, size_t index, char *name,
                                    size_t capacity, connxruntime_status *status);
int connxruntime_session_output_name(const connxruntime_session *session, size_t index, char *name,
                                     size_t capacity, connxruntime_status *status);

/// Runs the session on one float tensor (`input`, shape `shape[0..rank)`) named `input_name` and
/// reads the float output `output_name`: its last two dimensions are written to `out_height` and
/// `out_width`, and its first out_height × out_width values to `output` (which holds
/// `output_capacity` floats). Fails when the output is not float or is larger than the buffer.
int connxruntime_session_run(connxruntime_session *session, const char *input_name, const float *input,
                             const int64_t *shape, size_t rank, const char *output_name, float *output,
                             size_t output_capacity, int *out_width, int *out_height,
                             connxruntime_status *status);

/// Runs the session on one float tensor and copies the whole float output `output_name` (at most
/// `output_capacity` values) to `output`; its shape goes to `out_shape` (room for 8) and `out_rank`.
int connxruntime_session_run_tensor(connxruntime_session *session, const char *input_name, const float *input,
                                    const int64_t *shape, size_t rank, const char *output_name, float *output,
                                    size_t output_capacity, int64_t *out_shape, size_t *out_rank,
                                    connxruntime_status *status);

/// Runs the session once and copies `output_count` (at most 8) float outputs: output k (named
/// `output_names[k]`, at most `capacities[k]` values) into `outputs[k]`, its shape into
/// `out_shapes[8k ..< 8k + 8]` and its rank into `out_ranks[k]`.
int connxruntime_session_run_outputs(connxruntime_session *session, const char *input_name, const float *input,
                                     const int64_t *shape, size_t rank, const char *const *output_names,
                                     size_t output_count, float *const *outputs, const size_t *capacities,
                                     int64_t *out_shapes, size_t *out_ranks, connxruntime_status *status);

#ifdef __cplusplus
}
#endif

#endif
