// Colour guided filter (He, Sun & Tang 2013) on small float images: the core of the fast guided
// filter (He & Sun 2015), which runs it on a subsampled guide and applies q = a·I + b at full size.
#pragma once

#include <opencv2/core.hpp>

namespace cvision {

/// Returns the box-averaged linear coefficients (CV_32FC4: a_r, a_g, a_b, b) of the guided filter
/// with guide `guide` (CV_32FC3, 0..1), input `input` (CV_32F), window radius `radius`, and
/// regularisation `eps` (in squared guide units).
cv::Mat guided_filter_coefficients(const cv::Mat &guide, const cv::Mat &input, int radius, float eps);

}  // namespace cvision
