// dlopen()s libonnxruntime and wraps the few calls Backdrop makes. Every OrtStatus is turned into a
// connxruntime_status here (message copied, status released), so no ONNX Runtime type leaves this file.
#include "COnnxRuntime.h"
#include "ort_api.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct connxruntime_library {
    void *handle;
    const OrtApi *api;
    const char *version;
    OrtEnv *env;
    OrtMemoryInfo *cpu_memory;
};

struct connxruntime_session {
    const connxruntime_library *library;
    OrtSession *session;
    size_t input_count;
    size_t output_count;
};

static void set_status(connxruntime_status *status, int code, const char *format, ...) {
    if (!status) return;
    status->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(status->message, sizeof status->message, format, args);
    va_end(args);
}

static void clear_status(connxruntime_status *status) {
    if (!status) return;
    status->code = CONNXRUNTIME_OK;
    status->message[0] = '\0';
}

/// ONNX Runtime prefixes some messages with its source location and the throwing C++ function
/// ("…/model.cc:170 onnxruntime::Model::Model(…) Missing opset…"): users get the sentence, not that.
static void strip_source_location(char *message) {
    char *location = strstr(message, "/onnxruntime_src/");
    if (location == NULL) return;
    char *open = strchr(location, '(');
    if (open == NULL) return;
    int depth = 0;
    char *end = open;
    for (; *end; ++end) {
        if (*end == '(') ++depth;
        else if (*end == ')' && --depth == 0) break;
    }
    if (*end != ')') return;
    ++end;
    while (*end == ' ') ++end;
    if (location > message && location[-1] != ' ') *location++ = ' ';  // "failed:" + " " + sentence
    memmove(location, end, strlen(end) + 1);
}

/// Turns an OrtStatus into a connxruntime_status and releases it; returns 0 for success (NULL).
static int check(const OrtApi *api, OrtStatus *ort_status, connxruntime_status *status, int code,
                 const char *operation) {
    if (ort_status == NULL) return 0;
    const char *message = api->GetErrorMessage(ort_status);
    set_status(status, code, "%s: %s", operation, message ? message : "unknown ONNX Runtime error");
    if (status) strip_source_location(status->message);
    api->ReleaseStatus(ort_status);
    return -1;
}

connxruntime_library *connxruntime_load(const char *path, connxruntime_status *status) {
    clear_status(status);
    if (path == NULL || path[0] == '\0') {
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a library path but got none");
        return NULL;
    }
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *reason = dlerror();
        set_status(status, CONNXRUNTIME_LIBRARY_ERROR, "cannot load %s: %s", path, reason ? reason : "dlopen failed");
        return NULL;
    }
    typedef const OrtApiBase *(*GetApiBase)(void);
    GetApiBase get_api_base = (GetApiBase)dlsym(handle, "OrtGetApiBase");
    if (get_api_base == NULL) {
        set_status(status, CONNXRUNTIME_LIBRARY_ERROR, "%s is not ONNX Runtime (no OrtGetApiBase)", path);
        dlclose(handle);
        return NULL;
    }
    const OrtApiBase *base = get_api_base();
    const OrtApi *api = base ? base->GetApi(CONNXRUNTIME_ORT_API_VERSION) : NULL;
    if (api == NULL) {
        set_status(status, CONNXRUNTIME_LIBRARY_ERROR, "%s (ONNX Runtime %s) does not serve API version %d",
                   path, base && base->GetVersionString ? base->GetVersionString() : "?",
                   CONNXRUNTIME_ORT_API_VERSION);
        dlclose(handle);
        return NULL;
    }
    connxruntime_library *library = calloc(1, sizeof *library);
    if (library == NULL) {
        set_status(status, CONNXRUNTIME_LIBRARY_ERROR, "out of memory");
        dlclose(handle);
        return NULL;
    }
    library->handle = handle;
    library->api = api;
    library->version = base->GetVersionString();
    // Fatal only: every error comes back through a status, and nothing else belongs on stderr.
    if (check(api, api->CreateEnv(ORT_LOGGING_LEVEL_FATAL, "backdrop", &library->env), status,
              CONNXRUNTIME_LIBRARY_ERROR, "creating the ONNX Runtime environment") != 0 ||
        check(api, api->CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &library->cpu_memory), status,
              CONNXRUNTIME_LIBRARY_ERROR, "describing CPU memory") != 0) {
        if (library->env) api->ReleaseEnv(library->env);
        free(library);
        dlclose(handle);
        return NULL;
    }
    return library;
}

const char *connxruntime_version(const connxruntime_library *library) {
    return library && library->version ? library->version : "";
}

static connxruntime_session *create_session(connxruntime_library *library, const char *model_path,
                                            const void *model_data, size_t model_length, int intra_op_threads,
                                            int memory_arena, connxruntime_status *status) {
    clear_status(status);
    if (library == NULL || (model_path == NULL && (model_data == NULL || model_length == 0))) {
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a library and a model");
        return NULL;
    }
    const OrtApi *api = library->api;
    OrtSessionOptions *options = NULL;
    if (check(api, api->CreateSessionOptions(&options), status, CONNXRUNTIME_MODEL_ERROR, "creating session options"))
        return NULL;
    const char *step = "setting session options";
    OrtSession *session = NULL;
    int failed = check(api, api->SetIntraOpNumThreads(options, intra_op_threads > 0 ? intra_op_threads : 0), status,
                       CONNXRUNTIME_MODEL_ERROR, step) ||
                 check(api, api->SetInterOpNumThreads(options, 1), status, CONNXRUNTIME_MODEL_ERROR, step) ||
                 check(api, api->SetSessionExecutionMode(options, ORT_SEQUENTIAL), status, CONNXRUNTIME_MODEL_ERROR,
                       step) ||
                 check(api, api->SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), status,
                       CONNXRUNTIME_MODEL_ERROR, step) ||
                 check(api, api->SetSessionLogSeverityLevel(options, ORT_LOGGING_LEVEL_FATAL), status,
                       CONNXRUNTIME_MODEL_ERROR, step) ||
                 // The memory pattern pre-plans one block for every activation: ~200 MB more peak RSS
                 // for u2netp at no measurable speed (134 vs 137 ms at 320², 2 threads).
                 check(api, api->DisableMemPattern(options), status, CONNXRUNTIME_MODEL_ERROR, step) ||
                 // The CPU arena keeps every block it ever grew to; without it freed activations go
                 // back to malloc. Measured: 12 MP, two jobs, peak RSS 719 → 600 MB; 1 MP inference
                 // 138 → 183 ms alone, but a two-job batch of 1 MP photos is as fast either way once
                 // the threads stop spinning (197 vs 194 images/min). Memory wins.
                 // A model run at one fixed, moderate size (CenterFace at ≤ 1280 px) keeps it: 230 vs
                 // 610 ms a run at 1280 × 960 (ONNX Runtime 1.32 in Python, 2 threads), its peak bounded
                 // by that size.
                 (!memory_arena && check(api, api->DisableCpuMemArena(options), status, CONNXRUNTIME_MODEL_ERROR, step)) ||
                 // Worker threads that spin after each operator burn the core another job's
                 // refinement or encoding is waiting for (two jobs overlap by default): 1 MP batch
                 // 168 → 197 images/min, 0.71 → 0.59 CPU s a photo.
                 check(api, api->AddSessionConfigEntry(options, "session.intra_op.allow_spinning", "0"), status,
                       CONNXRUNTIME_MODEL_ERROR, step) ||
                 check(api,
                       model_path != NULL
                           ? api->CreateSession(library->env, model_path, options, &session)
                           : api->CreateSessionFromArray(library->env, model_data, model_length, options, &session),
                       status, CONNXRUNTIME_MODEL_ERROR, "ONNX Runtime refused the model");
    api->ReleaseSessionOptions(options);
    if (failed) return NULL;

    connxruntime_session *result = calloc(1, sizeof *result);
    if (result == NULL) {
        api->ReleaseSession(session);
        set_status(status, CONNXRUNTIME_MODEL_ERROR, "out of memory");
        return NULL;
    }
    result->library = library;
    result->session = session;
    if (check(api, api->SessionGetInputCount(session, &result->input_count), status, CONNXRUNTIME_MODEL_ERROR,
              "reading the model's inputs") ||
        check(api, api->SessionGetOutputCount(session, &result->output_count), status, CONNXRUNTIME_MODEL_ERROR,
              "reading the model's outputs")) {
        connxruntime_session_free(result);
        return NULL;
    }
    return result;
}

connxruntime_session *connxruntime_session_create(connxruntime_library *library, const char *model_path,
                                                  int intra_op_threads, connxruntime_status *status) {
    if (model_path == NULL) {
        clear_status(status);
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a library and a model path");
        return NULL;
    }
    return create_session(library, model_path, NULL, 0, intra_op_threads, 0, status);
}

connxruntime_session *connxruntime_session_create_from_bytes(connxruntime_library *library, const void *model,
                                                             size_t length, int intra_op_threads, int memory_arena,
                                                             connxruntime_status *status) {
    return create_session(library, NULL, model, length, intra_op_threads, memory_arena, status);
}

void connxruntime_session_free(connxruntime_session *session) {
    if (session == NULL) return;
    if (session->session) session->library->api->ReleaseSession(session->session);
    free(session);
}

size_t connxruntime_session_input_count(const connxruntime_session *session) {
    return session ? session->input_count : 0;
}

size_t connxruntime_session_output_count(const connxruntime_session *session) {
    return session ? session->output_count : 0;
}

static int copy_name(const connxruntime_session *session, size_t index, int is_input, char *name, size_t capacity,
                     connxruntime_status *status) {
    clear_status(status);
    if (session == NULL || name == NULL || capacity == 0) {
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a session and a name buffer");
        return -1;
    }
    const OrtApi *api = session->library->api;
    OrtAllocator *allocator = NULL;
    char *value = NULL;
    if (check(api, api->GetAllocatorWithDefaultOptions(&allocator), status, CONNXRUNTIME_MODEL_ERROR,
              "getting the default allocator"))
        return -1;
    OrtStatus *ort_status = is_input ? api->SessionGetInputName(session->session, index, allocator, &value)
                                     : api->SessionGetOutputName(session->session, index, allocator, &value);
    if (check(api, ort_status, status, CONNXRUNTIME_MODEL_ERROR, "reading a name from the model")) return -1;
    snprintf(name, capacity, "%s", value ? value : "");
    OrtStatus *freed = api->AllocatorFree(allocator, value);
    if (freed) api->ReleaseStatus(freed);
    return 0;
}

int connxruntime_session_input_name(const connxruntime_session *session, size_t index, char *name, size_t capacity,
                                    connxruntime_status *status) {
    return copy_name(session, index, 1, name, capacity, status);
}

int connxruntime_session_output_name(const connxruntime_session *session, size_t index, char *name, size_t capacity,
                                     connxruntime_status *status) {
    return copy_name(session, index, 0, name, capacity, status);
}

/// Copies one float output into `output` (at most `capacity` values), its shape into `out_shape`.
static int copy_output(const OrtApi *api, OrtValue *value, const char *name, float *output, size_t capacity,
                       int64_t *out_shape, size_t *out_rank, connxruntime_status *status) {
    OrtTensorTypeAndShapeInfo *info = NULL;
    int result = -1;
    int is_tensor = 0;
    if (check(api, api->IsTensor(value, &is_tensor), status, CONNXRUNTIME_MODEL_ERROR, "reading the output"))
        goto done;
    if (!is_tensor) {
        set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s is not a tensor", name);
        goto done;
    }
    ONNXTensorElementDataType type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED;
    size_t dimension_count = 0;
    if (check(api, api->GetTensorTypeAndShape(value, &info), status, CONNXRUNTIME_MODEL_ERROR,
              "reading the output's shape") ||
        check(api, api->GetTensorElementType(info, &type), status, CONNXRUNTIME_MODEL_ERROR,
              "reading the output's type") ||
        check(api, api->GetDimensionsCount(info, &dimension_count), status, CONNXRUNTIME_MODEL_ERROR,
              "reading the output's shape"))
        goto done;
    if (type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT) {
        set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s is not a float tensor", name);
        goto done;
    }
    if (dimension_count < 1 || dimension_count > 8) {
        set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s has %zu dimensions", name, dimension_count);
        goto done;
    }
    if (check(api, api->GetDimensions(info, out_shape, dimension_count), status, CONNXRUNTIME_MODEL_ERROR,
              "reading the output's shape"))
        goto done;
    size_t elements = 1;
    for (size_t i = 0; i < dimension_count; ++i) {
        if (out_shape[i] <= 0) {
            set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s has an empty dimension", name);
            goto done;
        }
        elements *= (size_t)out_shape[i];
    }
    if (elements > capacity) {
        set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s holds %zu values, more than the %zu expected",
                   name, elements, capacity);
        goto done;
    }
    void *data = NULL;
    if (check(api, api->GetTensorMutableData(value, &data), status, CONNXRUNTIME_MODEL_ERROR, "reading the output"))
        goto done;
    memcpy(output, data, elements * sizeof(float));
    *out_rank = dimension_count;
    result = 0;
done:
    if (info) api->ReleaseTensorTypeAndShapeInfo(info);
    return result;
}

int connxruntime_session_run_outputs(connxruntime_session *session, const char *input_name, const float *input,
                                     const int64_t *shape, size_t rank, const char *const *output_names,
                                     size_t output_count, float *const *outputs, const size_t *capacities,
                                     int64_t *out_shapes, size_t *out_ranks, connxruntime_status *status) {
    clear_status(status);
    if (session == NULL || input_name == NULL || input == NULL || shape == NULL || rank == 0 || rank > 8 ||
        output_names == NULL || output_count == 0 || output_count > 8 || outputs == NULL || capacities == NULL ||
        out_shapes == NULL || out_ranks == NULL) {
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a session, an input tensor and output buffers");
        return -1;
    }
    for (size_t k = 0; k < output_count; ++k) {
        if (output_names[k] == NULL || outputs[k] == NULL) {
            set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a name and a buffer for every output");
            return -1;
        }
    }
    const OrtApi *api = session->library->api;
    size_t count = 1;
    for (size_t i = 0; i < rank; ++i) {
        if (shape[i] <= 0) {
            set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected positive tensor dimensions");
            return -1;
        }
        count *= (size_t)shape[i];
    }
    OrtValue *input_value = NULL;
    OrtValue *output_values[8] = {NULL};
    int result = -1;
    // ONNX Runtime does not write to an input tensor; the API takes a non-const pointer regardless.
    if (check(api, api->CreateTensorWithDataAsOrtValue(session->library->cpu_memory, (void *)input,
                                                       count * sizeof(float), shape, rank,
                                                       ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &input_value),
              status, CONNXRUNTIME_MODEL_ERROR, "making the input tensor"))
        goto done;
    const OrtValue *inputs[1] = {input_value};
    if (check(api, api->Run(session->session, NULL, &input_name, inputs, 1, output_names, output_count,
                            output_values),
              status, CONNXRUNTIME_MODEL_ERROR, "running the model"))
        goto done;
    for (size_t k = 0; k < output_count; ++k) {
        if (copy_output(api, output_values[k], output_names[k], outputs[k], capacities[k], out_shapes + 8 * k,
                        out_ranks + k, status) != 0)
            goto done;
    }
    result = 0;
done:
    for (size_t k = 0; k < output_count && k < 8; ++k)
        if (output_values[k]) api->ReleaseValue(output_values[k]);
    if (input_value) api->ReleaseValue(input_value);
    return result;
}

int connxruntime_session_run_tensor(connxruntime_session *session, const char *input_name, const float *input,
                                    const int64_t *shape, size_t rank, const char *output_name, float *output,
                                    size_t output_capacity, int64_t *out_shape, size_t *out_rank,
                                    connxruntime_status *status) {
    if (output_name == NULL || output == NULL || out_shape == NULL || out_rank == NULL) {
        clear_status(status);
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a session, an input tensor and an output buffer");
        return -1;
    }
    const char *names[1] = {output_name};
    float *const outputs[1] = {output};
    const size_t capacities[1] = {output_capacity};
    return connxruntime_session_run_outputs(session, input_name, input, shape, rank, names, 1, outputs, capacities,
                                            out_shape, out_rank, status);
}

int connxruntime_session_run(connxruntime_session *session, const char *input_name, const float *input,
                             const int64_t *shape, size_t rank, const char *output_name, float *output,
                             size_t output_capacity, int *out_width, int *out_height, connxruntime_status *status) {
    if (out_width == NULL || out_height == NULL) {
        clear_status(status);
        set_status(status, CONNXRUNTIME_BAD_ARGUMENT, "expected a session, an input tensor and an output buffer");
        return -1;
    }
    int64_t dimensions[8] = {0};
    size_t dimension_count = 0;
    if (connxruntime_session_run_tensor(session, input_name, input, shape, rank, output_name, output, output_capacity,
                                        dimensions, &dimension_count, status) != 0)
        return -1;
    if (dimension_count < 2) {
        set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s is not a 2D map", output_name);
        return -1;
    }
    // A map: every leading dimension is 1, so the whole tensor is its last two dimensions.
    for (size_t i = 0; i + 2 < dimension_count; ++i) {
        if (dimensions[i] != 1) {
            set_status(status, CONNXRUNTIME_MODEL_ERROR, "the output %s is not a single 2D map", output_name);
            return -1;
        }
    }
    *out_height = (int)dimensions[dimension_count - 2];
    *out_width = (int)dimensions[dimension_count - 1];
    return 0;
}
