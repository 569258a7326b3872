// Boundary helpers: every extern "C" entry point runs its body through cvision::guarded so no C++
// exception escapes, and failures become a status code plus a message without pixel data.
#pragma once

#include "CVision.h"

#include <opencv2/core.hpp>

#include <cstdarg>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <string>

namespace cvision {

/// Thrown inside the C++ code for caller mistakes; turned into CVISION_BAD_ARGUMENT at the boundary.
struct BadArgument : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Thrown when the model cannot be loaded or run; turned into CVISION_MODEL_ERROR.
struct ModelError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline void set_status(cvision_status *status, int code, const char *format, ...) {
    if (!status) return;
    status->code = code;
    va_list args;
    va_start(args, format);
    vsnprintf(status->message, sizeof status->message, format, args);
    va_end(args);
}

inline void clear_status(cvision_status *status) {
    if (!status) return;
    status->code = CVISION_OK;
    status->message[0] = '\0';
}

/// Runs body (returning int) and converts every exception into a status; returns -1 on failure
/// (callers that return a pointer use guarded_ptr).
template <class Body>
int guarded(cvision_status *status, const char *operation, Body &&body) {
    clear_status(status);
    try {
        return body();
    } catch (const BadArgument &error) {
        set_status(status, CVISION_BAD_ARGUMENT, "%s: %s", operation, error.what());
    } catch (const ModelError &error) {
        set_status(status, CVISION_MODEL_ERROR, "%s: %s", operation, error.what());
    } catch (const cv::Exception &error) {
        // err is OpenCV's description and func the failing function: neither carries pixel data.
        set_status(status, CVISION_INTERNAL, "%s: OpenCV error in %s: %s", operation,
                   error.func.c_str(), error.err.c_str());
    } catch (const std::bad_alloc &) {
        set_status(status, CVISION_INTERNAL, "%s: out of memory", operation);
    } catch (const std::exception &error) {
        set_status(status, CVISION_INTERNAL, "%s: %s", operation, error.what());
    } catch (...) {
        set_status(status, CVISION_INTERNAL, "%s: unknown C++ exception", operation);
    }
    return -1;
}

inline void require(bool condition, const char *message) {
    if (!condition) throw BadArgument(message);
}

/// Checks and wraps an interleaved 8-bit RGB buffer (no copy).
inline cv::Mat wrap_rgb(const uint8_t *rgb, int width, int height, size_t stride) {
    require(rgb != nullptr, "expected an RGB buffer but got NULL");
    require(width > 0 && height > 0, "expected a positive width and height");
    require(stride >= size_t(width) * 3, "expected a stride of at least width * 3 bytes");
    require(double(width) * double(height) <= 1.0e9, "expected at most 1e9 pixels");
    return cv::Mat(height, width, CV_8UC3, const_cast<uint8_t *>(rgb), stride);
}

}  // namespace cvision
