// The part of ONNX Runtime's C API that Backdrop uses, declared by hand from the public header
// include/onnxruntime/core/session/onnxruntime_c_api.h (MIT). The API is a table of function
// pointers (OrtApi) that only ever grows at its end, so a prefix of it declared in the exact order
// is valid for every later library: slots Backdrop does not call are kept as placeholders, named,
// so the order can be checked line by line against the header. Indices are in the comments.
#ifndef CONNXRUNTIME_ORT_API_H
#define CONNXRUNTIME_ORT_API_H

#include <stddef.h>
#include <stdint.h>

/// The API version asked of GetApi. Everything below exists since version 1; 13 is the header
/// version this prefix was checked against (ONNX Runtime 1.13); later libraries serve it too.
#define CONNXRUNTIME_ORT_API_VERSION 13

typedef struct OrtEnv OrtEnv;
typedef struct OrtStatus OrtStatus;
typedef struct OrtMemoryInfo OrtMemoryInfo;
typedef struct OrtSession OrtSession;
typedef struct OrtValue OrtValue;
typedef struct OrtRunOptions OrtRunOptions;
typedef struct OrtTypeInfo OrtTypeInfo;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtSessionOptions OrtSessionOptions;

typedef struct OrtAllocator {
    uint32_t version;
    void *(*Alloc)(struct OrtAllocator *self, size_t size);
    void (*Free)(struct OrtAllocator *self, void *p);
    const OrtMemoryInfo *(*Info)(const struct OrtAllocator *self);
} OrtAllocator;

typedef enum {
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED = 0,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
} ONNXTensorElementDataType;

typedef enum {
    ORT_LOGGING_LEVEL_VERBOSE = 0,
    ORT_LOGGING_LEVEL_INFO = 1,
    ORT_LOGGING_LEVEL_WARNING = 2,
    ORT_LOGGING_LEVEL_ERROR = 3,
    ORT_LOGGING_LEVEL_FATAL = 4,
} OrtLoggingLevel;

typedef enum { ORT_OK = 0 } OrtErrorCode;

typedef enum {
    ORT_DISABLE_ALL = 0,
    ORT_ENABLE_BASIC = 1,
    ORT_ENABLE_EXTENDED = 2,
    ORT_ENABLE_ALL = 99,
} GraphOptimizationLevel;

typedef enum { ORT_SEQUENTIAL = 0, ORT_PARALLEL = 1 } ExecutionMode;

typedef enum { OrtInvalidAllocator = -1, OrtDeviceAllocator = 0, OrtArenaAllocator = 1 } OrtAllocatorType;

typedef enum { OrtMemTypeCPUInput = -2, OrtMemTypeCPUOutput = -1, OrtMemTypeDefault = 0 } OrtMemType;

/// A slot Backdrop does not call: only its position matters.
typedef void (*OrtUnused)(void);

typedef struct OrtApi {
    OrtStatus *(*CreateStatus)(OrtErrorCode code, const char *message);                      // 0
    OrtErrorCode (*GetErrorCode)(const OrtStatus *status);                                   // 1
    const char *(*GetErrorMessage)(const OrtStatus *status);                                 // 2
    OrtStatus *(*CreateEnv)(OrtLoggingLevel level, const char *log_id, OrtEnv **out);        // 3
    OrtUnused CreateEnvWithCustomLogger;                                                     // 4
    OrtUnused EnableTelemetryEvents;                                                         // 5
    OrtUnused DisableTelemetryEvents;                                                        // 6
    OrtStatus *(*CreateSession)(const OrtEnv *env, const char *model_path,
                                const OrtSessionOptions *options, OrtSession **out);         // 7
    OrtStatus *(*CreateSessionFromArray)(const OrtEnv *env, const void *model_data, size_t model_data_length,
                                         const OrtSessionOptions *options, OrtSession **out); // 8
    OrtStatus *(*Run)(OrtSession *session, const OrtRunOptions *run_options,
                      const char *const *input_names, const OrtValue *const *inputs, size_t input_count,
                      const char *const *output_names, size_t output_count, OrtValue **outputs); // 9
    OrtStatus *(*CreateSessionOptions)(OrtSessionOptions **out);                             // 10
    OrtUnused SetOptimizedModelFilePath;                                                     // 11
    OrtUnused CloneSessionOptions;                                                           // 12
    OrtStatus *(*SetSessionExecutionMode)(OrtSessionOptions *options, ExecutionMode mode);   // 13
    OrtUnused EnableProfiling;                                                               // 14
    OrtUnused DisableProfiling;                                                              // 15
    OrtUnused EnableMemPattern;                                                              // 16
    OrtStatus *(*DisableMemPattern)(OrtSessionOptions *options);                             // 17
    OrtUnused EnableCpuMemArena;                                                             // 18
    OrtStatus *(*DisableCpuMemArena)(OrtSessionOptions *options);                            // 19
    OrtUnused SetSessionLogId;                                                               // 20
    OrtUnused SetSessionLogVerbosityLevel;                                                   // 21
    OrtStatus *(*SetSessionLogSeverityLevel)(OrtSessionOptions *options, int level);         // 22
    OrtStatus *(*SetSessionGraphOptimizationLevel)(OrtSessionOptions *options,
                                                   GraphOptimizationLevel level);            // 23
    OrtStatus *(*SetIntraOpNumThreads)(OrtSessionOptions *options, int threads);             // 24
    OrtStatus *(*SetInterOpNumThreads)(OrtSessionOptions *options, int threads);             // 25
    OrtUnused CreateCustomOpDomain;                                                          // 26
    OrtUnused CustomOpDomain_Add;                                                            // 27
    OrtUnused AddCustomOpDomain;                                                             // 28
    OrtUnused RegisterCustomOpsLibrary;                                                      // 29
    OrtStatus *(*SessionGetInputCount)(const OrtSession *session, size_t *out);              // 30
    OrtStatus *(*SessionGetOutputCount)(const OrtSession *session, size_t *out);             // 31
    OrtUnused SessionGetOverridableInitializerCount;                                         // 32
    OrtUnused SessionGetInputTypeInfo;                                                       // 33
    OrtUnused SessionGetOutputTypeInfo;                                                      // 34
    OrtUnused SessionGetOverridableInitializerTypeInfo;                                      // 35
    OrtStatus *(*SessionGetInputName)(const OrtSession *session, size_t index,
                                      OrtAllocator *allocator, char **out);                  // 36
    OrtStatus *(*SessionGetOutputName)(const OrtSession *session, size_t index,
                                       OrtAllocator *allocator, char **out);                 // 37
    OrtUnused SessionGetOverridableInitializerName;                                          // 38
    OrtUnused CreateRunOptions;                                                              // 39
    OrtUnused RunOptionsSetRunLogVerbosityLevel;                                             // 40
    OrtUnused RunOptionsSetRunLogSeverityLevel;                                              // 41
    OrtUnused RunOptionsSetRunTag;                                                           // 42
    OrtUnused RunOptionsGetRunLogVerbosityLevel;                                             // 43
    OrtUnused RunOptionsGetRunLogSeverityLevel;                                              // 44
    OrtUnused RunOptionsGetRunTag;                                                           // 45
    OrtUnused RunOptionsSetTerminate;                                                        // 46
    OrtUnused RunOptionsUnsetTerminate;                                                      // 47
    OrtUnused CreateTensorAsOrtValue;                                                        // 48
    OrtStatus *(*CreateTensorWithDataAsOrtValue)(const OrtMemoryInfo *info, void *data, size_t data_bytes,
                                                 const int64_t *shape, size_t rank,
                                                 ONNXTensorElementDataType type, OrtValue **out); // 49
    OrtStatus *(*IsTensor)(const OrtValue *value, int *out);                                 // 50
    OrtStatus *(*GetTensorMutableData)(OrtValue *value, void **out);                         // 51
    OrtUnused FillStringTensor;                                                              // 52
    OrtUnused GetStringTensorDataLength;                                                     // 53
    OrtUnused GetStringTensorContent;                                                        // 54
    OrtUnused CastTypeInfoToTensorInfo;                                                      // 55
    OrtUnused GetOnnxTypeFromTypeInfo;                                                       // 56
    OrtUnused CreateTensorTypeAndShapeInfo;                                                  // 57
    OrtUnused SetTensorElementType;                                                          // 58
    OrtUnused SetDimensions;                                                                 // 59
    OrtStatus *(*GetTensorElementType)(const OrtTensorTypeAndShapeInfo *info,
                                       ONNXTensorElementDataType *out);                      // 60
    OrtStatus *(*GetDimensionsCount)(const OrtTensorTypeAndShapeInfo *info, size_t *out);    // 61
    OrtStatus *(*GetDimensions)(const OrtTensorTypeAndShapeInfo *info, int64_t *values,
                                size_t count);                                               // 62
    OrtUnused GetSymbolicDimensions;                                                         // 63
    OrtStatus *(*GetTensorShapeElementCount)(const OrtTensorTypeAndShapeInfo *info,
                                             size_t *out);                                   // 64
    OrtStatus *(*GetTensorTypeAndShape)(const OrtValue *value, OrtTensorTypeAndShapeInfo **out); // 65
    OrtUnused GetTypeInfo;                                                                   // 66
    OrtUnused GetValueType;                                                                  // 67
    OrtUnused CreateMemoryInfo;                                                              // 68
    OrtStatus *(*CreateCpuMemoryInfo)(OrtAllocatorType type, OrtMemType mem_type,
                                      OrtMemoryInfo **out);                                  // 69
    OrtUnused CompareMemoryInfo;                                                             // 70
    OrtUnused MemoryInfoGetName;                                                             // 71
    OrtUnused MemoryInfoGetId;                                                               // 72
    OrtUnused MemoryInfoGetMemType;                                                          // 73
    OrtUnused MemoryInfoGetType;                                                             // 74
    OrtUnused AllocatorAlloc;                                                                // 75
    OrtStatus *(*AllocatorFree)(OrtAllocator *allocator, void *p);                           // 76
    OrtUnused AllocatorGetInfo;                                                              // 77
    OrtStatus *(*GetAllocatorWithDefaultOptions)(OrtAllocator **out);                        // 78
    OrtUnused AddFreeDimensionOverride;                                                      // 79
    OrtUnused GetValue;                                                                      // 80
    OrtUnused GetValueCount;                                                                 // 81
    OrtUnused CreateValue;                                                                   // 82
    OrtUnused CreateOpaqueValue;                                                             // 83
    OrtUnused GetOpaqueValue;                                                                // 84
    OrtUnused KernelInfoGetAttribute_float;                                                  // 85
    OrtUnused KernelInfoGetAttribute_int64;                                                  // 86
    OrtUnused KernelInfoGetAttribute_string;                                                 // 87
    OrtUnused KernelContext_GetInputCount;                                                   // 88
    OrtUnused KernelContext_GetOutputCount;                                                  // 89
    OrtUnused KernelContext_GetInput;                                                        // 90
    OrtUnused KernelContext_GetOutput;                                                       // 91
    void (*ReleaseEnv)(OrtEnv *env);                                                         // 92
    void (*ReleaseStatus)(OrtStatus *status);                                                // 93
    void (*ReleaseMemoryInfo)(OrtMemoryInfo *info);                                          // 94
    void (*ReleaseSession)(OrtSession *session);                                             // 95
    void (*ReleaseValue)(OrtValue *value);                                                   // 96
    void (*ReleaseRunOptions)(OrtRunOptions *options);                                       // 97
    void (*ReleaseTypeInfo)(OrtTypeInfo *info);                                              // 98
    void (*ReleaseTensorTypeAndShapeInfo)(OrtTensorTypeAndShapeInfo *info);                  // 99
    void (*ReleaseSessionOptions)(OrtSessionOptions *options);                               // 100
    OrtUnused unused101to129[29];                                                            // 101-129
    OrtStatus *(*AddSessionConfigEntry)(OrtSessionOptions *options, const char *key,
                                        const char *value);                                  // 130
    // The table continues; nothing after this point is used.
} OrtApi;

typedef struct OrtApiBase {
    const OrtApi *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} OrtApiBase;

#endif
