// The network's input tensor and the post-processing of its output, shared by every runtime (OpenCV
// DNN in net.cpp, ONNX Runtime through tensor.cpp's C entry points), so each sees the same tensor and
// returns maps normalised the same way.
#pragma once

#include "CVision.h"

#include <opencv2/core.hpp>

namespace cvision {

/// Checks a model spec's sizes and normalisation; throws BadArgument on nonsense.
void require_valid_spec(const cvision_model_spec *spec);

/// The input as rembg builds it: resize (LANCZOS there; INTER_AREA when shrinking here, which is as
/// sharp and alias-free), scale by the image max or 255, per-channel mean/std, NCHW float into `out`
/// (3 × input_height × input_width floats).
void fill_input_tensor(const cv::Mat &rgb, const cvision_model_spec &spec, float *out);

/// Optional sigmoid, min-max normalise to 0..1, resize into `target` (CV_32F) if the sizes differ.
void finish_probability_map(cv::Mat map, bool apply_sigmoid, cv::Mat &target);

}  // namespace cvision
